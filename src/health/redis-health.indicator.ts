import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisInspector } from '../redis/redis-inspector';

/**
 * Terminus indicator: up when the auth DB answers PING (tokens cannot be issued without it).
 * Public probes say up or down, never why: the reason (addresses, Redis error messages) is
 * on /health/dependencies, which is not public (src/management).
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly inspector: RedisInspector,
  ) {}

  async authDb(key = 'redis') {
    const indicator = this.indicators.check(key);
    try {
      await this.inspector.pingAuth();
      return indicator.up();
    } catch {
      return indicator.down();
    }
  }
}
