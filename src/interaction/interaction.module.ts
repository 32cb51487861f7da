import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RateLimitModule } from '../ratelimit/ratelimit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { ConsentController } from './consent.controller';
import { LoginController } from './login.controller';
import { LogoutController } from './logout.controller';
import { PlainLogin } from './plain-login';

/**
 * The sign-in pages (server-rendered HTML, no JavaScript): login, consent, logout and the
 * error page. The protocol stays in the auth module; these pages call its AuthorizationFlow.
 */
@Module({
  imports: [AuthModule, UsersModule, SessionsModule, MetricsModule, RateLimitModule],
  controllers: [LoginController, ConsentController, LogoutController],
  providers: [PlainLogin],
})
export class InteractionModule {}
