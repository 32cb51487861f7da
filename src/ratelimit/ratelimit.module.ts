import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MetricsModule } from '../metrics/metrics.module';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitService } from './rate-limit.service';
import { RateLimitStore } from './rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Redis rate limiting (docs/rate-limiting.md): one GCRA key per limited subject in
 * auth:rate_limit:{scope}:{subject}, charged by one Lua call, or folded into the token
 * scripts. Registers RateLimitGuard for every route (per-IP `default` limit unless a route is
 * marked with @RateLimitPerIp or @SkipRateLimit); the auth module (and the login route) use
 * RateLimitService.
 */
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: RateLimitStore, useClass: RedisRateLimitStore },
    RateLimitService,
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [RateLimitService],
})
export class RateLimitModule {}
