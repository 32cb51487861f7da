import { Controller, Get, Header } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis-health.indicator';
import { SkipRateLimit } from '../ratelimit/rate-limit.decorator';

/**
 * Public probes (ARCHITECTURE.md, HTTP surface), through Terminus. They say up or not, never
 * why: addresses, roles and Redis error messages are on /health/dependencies, which is not
 * public (src/management).
 */
@Controller('health')
@SkipRateLimit()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  status() {
    return { status: 'healthy', service: 'tollgate', timestamp: new Date().toISOString() };
  }

  /** 200 while the process runs: Redis outages must not make Kubernetes restart us. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 503 while DB 0 does not answer PING: this server cannot issue tokens without it. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.redis.authDb()]);
  }
}
