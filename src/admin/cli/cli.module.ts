import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule } from '../../clients/clients.module';
import { AppConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { RedisModule } from '../../redis/redis.module';

/** Just what the CLI needs: config, the Redis clients and the client registry. No HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), RedisModule, ClientsModule],
    };
  }
}
