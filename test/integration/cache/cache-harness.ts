/**
 * Boots ConfigModule + RedisModule and the Redis cache store (the real DI wiring, no HTTP)
 * against a harness topology; tests read DB 1 directly through the cache client.
 */
import { Test, TestingModule } from '@nestjs/testing';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { CacheStore } from '../../../src/cache/cache.store';
import { RedisCacheStore } from '../../../src/cache/redis-cache.store';
import { ConfigModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config/load-config';
import { RedisConnection } from '../../../src/redis/redis-connection';
import { RedisModule } from '../../../src/redis/redis.module';
import { REDIS_CACHE, REDIS_CACHE_CONNECTION } from '../../../src/redis/redis.tokens';
import { eventually, TEST_ENV } from '../../support/test-app';

export interface CacheHarness {
  readonly store: CacheStore;
  /** The cache client (DB 1). */
  readonly redis: Redis;
  close(): Promise<void>;
}

export async function startCacheStore(env: Record<string, string>): Promise<CacheHarness> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), RedisModule],
    providers: [{ provide: CacheStore, useClass: RedisCacheStore }],
  }).compile();
  await moduleRef.init();
  const cache = moduleRef.get<RedisConnection>(REDIS_CACHE_CONNECTION);
  await eventually(() => cache.isReady(), 15_000, 'cache Redis ready');
  return {
    store: moduleRef.get(CacheStore),
    redis: moduleRef.get<Redis>(REDIS_CACHE),
    close: () => moduleRef.close(),
  };
}

/** A service name no other test uses (each test its own namespace, no FLUSHALL). */
export const freshService = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
