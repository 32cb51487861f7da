/**
 * Boots ConfigModule + RedisModule + TokensModule (the real DI wiring, no HTTP) against a
 * harness topology, and gives tests the pieces they inspect.
 */
import { Test, TestingModule } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import type Redis from 'ioredis';
import type { Counter } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { ConfigModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config/load-config';
import { METRIC } from '../../../src/metrics/metric-names';
import { DurableWriter } from '../../../src/redis/durable-writer';
import { keys } from '../../../src/redis/keys';
import { RedisConnection } from '../../../src/redis/redis-connection';
import { RedisModule } from '../../../src/redis/redis.module';
import { REDIS_AUTH, REDIS_AUTH_CONNECTION } from '../../../src/redis/redis.tokens';
import { TokensModule } from '../../../src/tokens/tokens.module';
import { TokensService } from '../../../src/tokens/tokens.service';
import type { RefreshingClient } from '../../../src/tokens/token.types';
import { eventually, TEST_ENV } from '../../support/test-app';

export interface TokensHarness {
  readonly moduleRef: TestingModule;
  readonly tokens: TokensService;
  readonly redis: Redis;
  /** Current value of a counter, summed over the label sets matching `labels`. */
  metric(name: keyof typeof METRIC, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function startTokens(env: Record<string, string>): Promise<TokensHarness> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), RedisModule, TokensModule],
  }).compile();
  await moduleRef.init();
  const auth = moduleRef.get<RedisConnection>(REDIS_AUTH_CONNECTION);
  const writer = moduleRef.get(DurableWriter);
  await eventually(() => auth.isReady() && writer.isReady(), 15_000, 'Redis ready');
  return {
    moduleRef,
    tokens: moduleRef.get(TokensService),
    redis: moduleRef.get<Redis>(REDIS_AUTH),
    async metric(name, labels = {}) {
      const counter = moduleRef.get<Counter<string>>(getToken(METRIC[name]));
      const { values } = await counter.get();
      return values
        .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
        .reduce((sum, v) => sum + v.value, 0);
    },
    close: () => moduleRef.close(),
  };
}

/** Every key and every value in the DB, as one list of strings. */
export async function dumpAll(redis: Redis): Promise<string[]> {
  const out: string[] = [];
  for (const key of await redis.keys('*')) {
    out.push(key);
    const type = await redis.type(key);
    if (type === 'hash') out.push(...Object.entries(await redis.hgetall(key)).flat());
    if (type === 'set') out.push(...(await redis.smembers(key)));
    if (type === 'zset') out.push(...(await redis.zrange(key, '0', '-1')));
    if (type === 'string') out.push((await redis.get(key)) ?? '');
  }
  return out;
}

/**
 * Stores a client record as the client registry does (the fields the token scripts read:
 * `generation`, plus `id`) with a fresh generation, and returns it as a refreshing client.
 * Calling it again for the same id re-creates the client (new generation).
 */
export async function registerClient(
  redis: Redis,
  id: string,
  scopes: readonly string[] = ['openid', 'profile'],
): Promise<RefreshingClient> {
  const generation = randomUUID();
  await redis.del(keys.client(id));
  await redis.hset(keys.client(id), 'id', id, 'generation', generation, 'scopes', scopes.join(' '));
  return { id, generation, scopes };
}

/**
 * Stores an active user record as the user registry does (the fields the token scripts read:
 * `id`, `disabled`): a refresh token issued for a user rotates only while the user exists.
 */
export async function registerUser(redis: Redis, id: string): Promise<void> {
  await redis.hset(keys.user(id), 'id', id, 'disabled', '0');
}
