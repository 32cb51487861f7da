/**
 * Boots ConfigModule + RedisModule + SessionsModule (the real DI wiring, no HTTP) against a
 * harness topology, and gives tests the pieces they inspect.
 */
import { Test, TestingModule } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import type Redis from 'ioredis';
import type { Counter } from 'prom-client';
import { ConfigModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config/load-config';
import { METRIC } from '../../../src/metrics/metric-names';
import { RedisConnection } from '../../../src/redis/redis-connection';
import { RedisModule } from '../../../src/redis/redis.module';
import { REDIS_AUTH, REDIS_AUTH_CONNECTION } from '../../../src/redis/redis.tokens';
import { SessionsModule } from '../../../src/sessions/sessions.module';
import { SessionsService } from '../../../src/sessions/sessions.service';
import { eventually, TEST_ENV } from '../../support/test-app';

export interface SessionsHarness {
  readonly sessions: SessionsService;
  readonly redis: Redis;
  /** Current value of tollgate_sessions_total for one event. */
  sessionEvents(event: 'created' | 'ended'): Promise<number>;
  close(): Promise<void>;
}

export async function startSessions(env: Record<string, string>): Promise<SessionsHarness> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), RedisModule, SessionsModule],
  }).compile();
  await moduleRef.init();
  const auth = moduleRef.get<RedisConnection>(REDIS_AUTH_CONNECTION);
  await eventually(() => auth.isReady(), 15_000, 'Redis ready');
  return {
    sessions: moduleRef.get(SessionsService),
    redis: moduleRef.get<Redis>(REDIS_AUTH),
    async sessionEvents(event) {
      const counter = moduleRef.get<Counter<string>>(getToken(METRIC.sessions));
      const { values } = await counter.get();
      return values.filter((v) => v.labels.event === event).reduce((sum, v) => sum + v.value, 0);
    },
    close: () => moduleRef.close(),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
