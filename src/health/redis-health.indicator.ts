import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisInspector } from '../redis/redis-inspector';

/** Terminus indicator: up when the auth DB answers PING (tokens cannot be issued without it). */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly inspector: RedisInspector,
  ) {}

  async authDb(key = 'redis_auth') {
    const indicator = this.indicators.check(key);
    try {
      const latencyMs = await this.inspector.pingAuth();
      return indicator.up({ latencyMs: Math.round(latencyMs * 1000) / 1000 });
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }
}
