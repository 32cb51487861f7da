import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { RedisSessionStore } from './redis-session.store';
import { SessionStore } from './session.store';
import { SessionsService } from './sessions.service';

/**
 * Browser login sessions (auth:session:*, per-user index auth:user_sessions:*). Uses the
 * global RedisModule (REDIS_AUTH); the interaction pages and the admin API use
 * SessionsService and the pure cookie helpers of session-cookie.ts.
 */
@Module({
  imports: [MetricsModule],
  providers: [{ provide: SessionStore, useClass: RedisSessionStore }, SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
