import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule } from '../../clients/clients.module';
import { AppConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { RedisModule } from '../../redis/redis.module';
import { TokensModule } from '../../tokens/tokens.module';
import { ClientAdmin } from '../client-admin.service';

/** Just what the CLI needs: config, the Redis clients, the client registry and tokens. No HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), RedisModule, ClientsModule, TokensModule],
      providers: [ClientAdmin],
    };
  }
}
