import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsModule } from '../metrics/metrics.module';
import { DurableWriter } from './durable-writer';
import { EvictionPolicyCheck } from './eviction-policy';
import { MasterWatch } from './master-watch';
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
      // Follows master switches on the Sentinels for every client below (master-watch.ts).
      provide: MasterWatch,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const watch = new MasterWatch(config.redis);
        watch.start();
        return watch;
      },
    },
    {
      provide: REDIS_AUTH_CONNECTION,
      inject: [AppConfig, RedisMetricsObserver, MasterWatch],
      useFactory: (config: AppConfig, observer: RedisMetricsObserver, watch: MasterWatch) =>
        createRedisConnection(config.redis, 'auth', observer, watch),
    },
    {
      provide: REDIS_CACHE_CONNECTION,
      inject: [AppConfig, RedisMetricsObserver, MasterWatch],
      useFactory: (config: AppConfig, observer: RedisMetricsObserver, watch: MasterWatch) =>
        createRedisConnection(config.redis, 'cache', observer, watch),
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
      inject: [AppConfig, RedisMetricsObserver, MasterWatch],
      useFactory: (config: AppConfig, observer: RedisMetricsObserver, watch: MasterWatch) =>
        new RedisSubscriber(config.redis, observer, watch),
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
    private readonly watch: MasterWatch,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.watch.stop();
    await Promise.all([this.auth.close(), this.cache.close(), this.subscriber.close()]);
  }
}
