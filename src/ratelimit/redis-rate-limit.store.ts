import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { chargeArgs, RateLimitCharge, RateLimitDecision, toDecision } from '../redis/rate-limit';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { storageCall } from '../redis/redis-unavailable';
import { RateLimitStore } from './rate-limit.store';

/**
 * RateLimitStore on the auth DB: one EVALSHA of chargeRateLimit-1.lua on REDIS_AUTH, the
 * connection the token scripts use, so a charge issued in the same tick as a token lookup
 * goes out in the same auto-pipelined write (REDIS_AUTO_PIPELINING).
 */
@Injectable()
export class RedisRateLimitStore extends RateLimitStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  charge(charge: RateLimitCharge): Promise<RateLimitDecision> {
    const [key, limit, windowMs] = chargeArgs(charge);
    return storageCall(async () =>
      toDecision(await this.redis.chargeRateLimit(key, limit, windowMs)),
    );
  }
}
