import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule } from '../../clients/clients.module';
import { ConsentsModule } from '../../consents/consents.module';
import { AppConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { RedisModule } from '../../redis/redis.module';
import { SessionsModule } from '../../sessions/sessions.module';
import { TokensModule } from '../../tokens/tokens.module';
import { UsersModule } from '../../users/users.module';
import { ClientAdmin } from '../client-admin.service';
import { UserAdmin } from '../user-admin.service';

/** Just what the CLI needs: config, the Redis clients, the client and user registries, sessions, tokens and consents. No HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        ClientsModule,
        UsersModule,
        SessionsModule,
        TokensModule,
        ConsentsModule,
      ],
      providers: [ClientAdmin, UserAdmin],
    };
  }
}
