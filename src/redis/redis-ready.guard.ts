import { CanActivate, Inject, Injectable } from '@nestjs/common';
import { RedisConnection } from './redis-connection';
import { REDIS_AUTH_CONNECTION } from './redis.tokens';
import { RedisUnavailableException } from './redis-unavailable';

/**
 * Route guard for endpoints that cannot work without the auth DB: fails fast with
 * 503 + Retry-After (through AppExceptionFilter) instead of waiting for a timeout.
 * Usage: `@UseGuards(RedisReadyGuard)`.
 */
@Injectable()
export class RedisReadyGuard implements CanActivate {
  constructor(@Inject(REDIS_AUTH_CONNECTION) private readonly auth: RedisConnection) {}

  canActivate(): boolean {
    if (!this.auth.isReady()) throw new RedisUnavailableException(this.auth.state);
    return true;
  }
}
