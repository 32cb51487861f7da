import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsModule } from '../metrics/metrics.module';
import { DurableWriter } from './durable-writer';
import { EvictionPolicyCheck } from './eviction-policy';
import { createRedisConnection } from './redis-client.factory';
import { RedisConnection } from './redis-connection';
import { RedisInspector } from './redis-inspector';
import { RedisMetricsObserver } from './redis-metrics.observer';
import { RedisReadyGuard } from './redis-ready.guard';
import { RedisSubscriber } from './redis-subscriber';
import {
  REDIS_AUTH,
  REDIS_AUTH_CONNECTION,
  REDIS_CACHE,
  REDIS_CACHE_CONNECTION,
} from './redis.tokens';

/**
 * Sentinel-aware ioredis clients: REDIS_AUTH (DB 0, auth data) and REDIS_CACHE (DB 1,
 * service cache), plus RedisSubscriber's pub/sub connection, each behind a RedisConnection that tracks its state. Creating them
 * never waits for Redis; readiness is reported by /health/ready instead.
 */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [
    RedisMetricsObserver,
    {
      provide: REDIS_AUTH_CONNECTION,
      inject: [AppConfig, RedisMetricsObserver],
      useFactory: (config: AppConfig, observer: RedisMetricsObserver) =>
        createRedisConnection(config.redis, 'auth', observer),
    },
    {
      provide: REDIS_CACHE_CONNECTION,
      inject: [AppConfig, RedisMetricsObserver],
      useFactory: (config: AppConfig, observer: RedisMetricsObserver) =>
        createRedisConnection(config.redis, 'cache', observer),
    },
    {
      provide: REDIS_AUTH,
      inject: [REDIS_AUTH_CONNECTION],
      useFactory: (c: RedisConnection) => c.client,
    },
    {
      provide: REDIS_CACHE,
      inject: [REDIS_CACHE_CONNECTION],
      useFactory: (c: RedisConnection) => c.client,
    },
    {
      // Pub/sub (client cache invalidation); connects on the first listener only.
      provide: RedisSubscriber,
      inject: [AppConfig, RedisMetricsObserver],
      useFactory: (config: AppConfig, observer: RedisMetricsObserver) =>
        new RedisSubscriber(config.redis, observer),
    },
    RedisReadyGuard,
    RedisInspector,
    // Logs a maxmemory-policy other than noeviction whenever a client (re)connects.
    EvictionPolicyCheck,
    // Opens its own connection only when REDIS_WRITE_REPLICAS > 0.
    DurableWriter,
  ],
  exports: [
    REDIS_AUTH,
    REDIS_CACHE,
    REDIS_AUTH_CONNECTION,
    REDIS_CACHE_CONNECTION,
    RedisSubscriber,
    RedisReadyGuard,
    RedisInspector,
    DurableWriter,
  ],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_AUTH_CONNECTION) private readonly auth: RedisConnection,
    @Inject(REDIS_CACHE_CONNECTION) private readonly cache: RedisConnection,
    private readonly subscriber: RedisSubscriber,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.auth.close(), this.cache.close(), this.subscriber.close()]);
  }
}
