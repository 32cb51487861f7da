/**
 * The limiter against real Redis, through RateLimitService: the GCRA boundary (exactly N at
 * once, N+1 refused), the window, what it stores, the login limit per username + IP, and
 * what happens while Redis is down (login fails closed, the other scopes fail open).
 */
import Redis from 'ioredis';
import { RateLimitService } from '../../../src/ratelimit/rate-limit.service';
import { RateLimitedError } from '../../../src/redis/rate-limit';
import { RedisUnavailableException } from '../../../src/redis/redis-unavailable';
import { sha256Hex } from '../../../src/security/secrets';
import { startReadyApp } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { decisions } from './rate-limit-support';

const topology = useTopology({ mode: 'standalone' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limiter on real Redis', () => {
  let running: RunningApp;
  let limits: RateLimitService;
  let redis: Redis;
  let n = 0;
  /** A subject nobody else in this file charges. */
  const fresh = (what: string) => `${what}-${++n}-${Date.now()}`;

  beforeAll(async () => {
    running = await startReadyApp({
      ...topology().env(),
      RATE_LIMIT_DEFAULT_LIMIT: '5',
      RATE_LIMIT_DEFAULT_WINDOW_SECONDS: '60',
      // 2 per second: a short window for the reset test.
      RATE_LIMIT_IP_LIMIT: '2',
      RATE_LIMIT_IP_WINDOW_SECONDS: '1',
      RATE_LIMIT_LOGIN_LIMIT: '3',
      RATE_LIMIT_LOGIN_WINDOW_SECONDS: '300',
    });
    limits = running.app.get(RateLimitService);
    redis = new Redis(topology().redisUrl());
  });
  afterAll(async () => {
    redis?.disconnect();
    await running?.close();
  });

  it('allows exactly N requests at once and refuses request N+1, storing nothing for it', async () => {
    const subject = fresh('198.51.100');
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++)
      remaining.push((await limits.enforce('default', subject))!.remaining);
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const key = `auth:rate_limit:default:${subject}`;
    const stored = await redis.get(key);
    const refused = await limits.enforce('default', subject).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RateLimitedError);
    // One more request is allowed one emission interval (60 s / 5) after the burst.
    expect((refused as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect((refused as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(12_000);
    expect(await redis.get(key)).toBe(stored);
  });

  it('keeps one string per subject that expires when its quota is full again (TTL <= window)', async () => {
    const subject = fresh('203.0.113');
    await limits.enforce('default', subject);
    const key = `auth:rate_limit:default:${subject}`;
    expect(await redis.type(key)).toBe('string');
    const ttl = await redis.pttl(key);
    // One request of 5 per 60 s is given back after 12 s.
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(12_000);
  });

  it('gives the quota back as the window passes (2 per second)', async () => {
    const subject = fresh('192.0.2');
    await limits.enforce('ip', subject);
    await limits.enforce('ip', subject);
    const refused = (await limits
      .enforce('ip', subject)
      .catch((e: unknown) => e)) as RateLimitedError;
    expect(refused).toBeInstanceOf(RateLimitedError);
    // One request every 500 ms: after the announced wait exactly one more goes through...
    await sleep(refused.retryAfterMs + 20);
    expect((await limits.enforce('ip', subject))?.remaining).toBe(0);
    await expect(limits.enforce('ip', subject)).rejects.toBeInstanceOf(RateLimitedError);
    // ...and after a whole window the full burst is back.
    await sleep(1_050);
    expect((await limits.enforce('ip', subject))?.remaining).toBe(1);
    expect((await limits.enforce('ip', subject))?.remaining).toBe(0);
  });

  it('limits logins per username and IP, the username case-insensitively', async () => {
    const user = fresh('Alice');
    for (let i = 0; i < 3; i++) await limits.login(user, '192.0.2.10');
    await expect(limits.login(user.toLowerCase(), '192.0.2.10')).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    // Another IP, or another username from the same IP, has its own budget: a guesser
    // elsewhere cannot lock the user out.
    await expect(limits.login(user, '192.0.2.11')).resolves.toMatchObject({ remaining: 2 });
    await expect(limits.login(`${user}-b`, '192.0.2.10')).resolves.toMatchObject({ remaining: 2 });
    // The username is stored as a digest, never in clear.
    const digest = sha256Hex(user.toLowerCase());
    expect(await redis.exists(`auth:rate_limit:login:${digest}:192.0.2.10`)).toBe(1);
    expect(await redis.keys(`*${user}*`)).toEqual([]);
  });

  it('counts each decision in tollgate_rate_limit_decisions_total', async () => {
    const [allowed, limited] = [
      await decisions('login', 'allowed'),
      await decisions('login', 'limited'),
    ];
    const user = fresh('bob');
    for (let i = 0; i < 3; i++) await limits.login(user, '192.0.2.20');
    await limits.login(user, '192.0.2.20').catch(() => undefined);
    expect(await decisions('login', 'allowed')).toBe(allowed + 3);
    expect(await decisions('login', 'limited')).toBe(limited + 1);
  });

  it('while Redis is down, refuses logins (503, fail closed) and lets the other scopes through (fail open)', async () => {
    const closed = await decisions('login', 'fail_closed');
    const open = await decisions('ip', 'fail_open');
    await topology().stopNode(topology().dataNodes[0].port);

    await expect(limits.login('carol', '192.0.2.30')).rejects.toBeInstanceOf(
      RedisUnavailableException,
    );
    await expect(limits.failedClientAuthentication('192.0.2.30')).resolves.toBeUndefined();
    expect(await decisions('login', 'fail_closed')).toBe(closed + 1);
    expect(await decisions('ip', 'fail_open')).toBe(open + 1);
  });
});
