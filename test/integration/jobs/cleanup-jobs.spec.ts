/**
 * The cleanup jobs against a real standalone Redis: what token-cleanup and
 * session-index-cleanup remove (exactly the expired index entries, in batches), and that with
 * two instances on one Redis each tick runs exactly once.
 */
import Redis from 'ioredis';
import { CacheStore } from '../../../src/cache/cache.store';
import { JobStatusStore } from '../../../src/jobs/job-status.store';
import { CacheCleanupTask } from '../../../src/jobs/tasks/cache-cleanup.task';
import { SessionIndexCleanupTask } from '../../../src/jobs/tasks/session-index-cleanup.task';
import { TokenCleanupTask } from '../../../src/jobs/tasks/token-cleanup.task';
import { keys } from '../../../src/redis/keys';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';
import { ADMIN_TOKEN, asAdmin, FAST_JOBS, recordRuns, sleep, tickOf } from './jobs-harness';

const HOUR = 3_600_000;

describe('cleanup jobs', () => {
  const topology = useTopology({ mode: 'standalone' });
  const apps: RunningApp[] = [];
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(topology().redisUrl(), { disconnectTimeout: 100 });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  afterAll(async () => {
    await redis.quit();
  });

  /** An index with `expired` entries already past and `live` entries an hour ahead. */
  async function seedIndex(key: string, expired: number, live: number): Promise<void> {
    const now = Date.now();
    const args: string[] = [];
    for (let i = 0; i < expired; i++) args.push(String(now - 60_000 - i), `${key}:old:${i}`);
    for (let i = 0; i < live; i++) args.push(String(now + HOUR + i), `${key}:live:${i}`);
    await redis.zadd(key, ...args);
  }

  const members = (key: string) => redis.zrange(key, '0', '-1');
  const live = (key: string) => Array.from({ length: 2 }, (_, i) => `${key}:live:${i}`);

  it('removes exactly the expired index entries, in batches of JOBS_*_BATCH', async () => {
    // Hour-long schedules: the only runs are the first tick at registration and ours below.
    const app = await startApp({
      ...topology().env(),
      JOBS_TOKEN_CLEANUP_EVERY_MS: String(HOUR),
      JOBS_SESSION_CLEANUP_EVERY_MS: String(HOUR),
      JOBS_TOKEN_CLEANUP_BATCH: '3',
      JOBS_SESSION_CLEANUP_BATCH: '3',
    });
    apps.push(app);
    const status = app.app.get(JobStatusStore);
    await eventually(
      async () => {
        const records = await status.read(['token-cleanup', 'session-index-cleanup']);
        return [...records.values()].every((r) => r.runs >= 1);
      },
      15_000,
      'the first ticks',
    );

    const suffix = Date.now();
    const [c1, c2, u1] = [`c1-${suffix}`, `c2-${suffix}`, `u1-${suffix}`];
    await redis.sadd(keys.clientIndex(), c1, c2);
    await redis.sadd(keys.userIndex(), u1);
    await seedIndex(keys.clientTokens(c1), 7, 2);
    await seedIndex(keys.clientTokens(c2), 1, 2);
    await seedIndex(keys.userTokens(u1), 4, 2);
    await seedIndex(keys.userSessions(u1), 5, 2);
    await seedIndex(keys.tokenCleanup(), 8, 2);
    await redis.persist(keys.clientTokens(c1)); // an index that lost its TTL gets one back

    const tokens = app.app.get(TokenCleanupTask);
    // Run 1: the legacy index drains 3 + 3 + 2; each per-owner index loses at most 3.
    expect(await tokens.run(3)).toBe(8 + 3 + 1 + 3);
    expect(await redis.zcard(keys.tokenCleanup())).toBe(2);
    expect(await redis.zcard(keys.clientTokens(c1))).toBe(4 + 2);
    expect(await tokens.run(3)).toBe(3 + 1);
    expect(await tokens.run(3)).toBe(1);
    expect(await tokens.run(3)).toBe(0);
    for (const key of [keys.clientTokens(c1), keys.clientTokens(c2), keys.userTokens(u1)]) {
      expect((await members(key)).sort()).toEqual(live(key));
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(HOUR - 60_000);
      expect(ttl).toBeLessThanOrEqual(HOUR + 10);
    }
    expect((await members(keys.tokenCleanup())).sort()).toEqual(live(keys.tokenCleanup()));
    // Sessions are another job's: untouched by token-cleanup.
    expect(await redis.zcard(keys.userSessions(u1))).toBe(7);

    const sessions = app.app.get(SessionIndexCleanupTask);
    expect(await sessions.run(3)).toBe(3);
    expect(await sessions.run(3)).toBe(2);
    expect(await sessions.run(3)).toBe(0);
    expect((await members(keys.userSessions(u1))).sort()).toEqual(live(keys.userSessions(u1)));
  });

  it('cache-cleanup removes the index entries of expired cache entries, and only those', async () => {
    const app = await startApp({ ...topology().env(), JOBS_CACHE_CLEANUP_EVERY_MS: String(HOUR) });
    apps.push(app);
    const cache = app.app.get(CacheStore);
    const service = `svc${Date.now()}`;
    const entry = (key: string) => ({
      value: Buffer.from(key),
      contentType: 'text/plain',
      etag: `"${key}"`,
      updatedAt: new Date().toISOString(),
    });
    const write = (key: string, ttlSeconds: number) =>
      cache.put({ service, key, entry: entry(key), ttlSeconds, maxEntries: 100 });
    await eventually(async () => (await write('live', 3600)).created, 15_000, 'cache reachable');
    await write('old-1', 1);
    await write('old-2', 1);
    const db1 = new Redis(topology().redisUrl(), { db: 1, disconnectTimeout: 100 });
    try {
      expect(await db1.zcard(keys.cacheLru(service))).toBe(3);
      await sleep(1_200);
      expect(await app.app.get(CacheCleanupTask).run(200)).toBeGreaterThanOrEqual(2);
      expect(await db1.zrange(keys.cacheLru(service), '0', '-1')).toEqual(['live']);
      expect(await db1.zrange(keys.cacheExpiry(service), '0', '-1')).toEqual(['live']);
      expect(await app.app.get(CacheCleanupTask).run(200)).toBe(0);
    } finally {
      await db1.quit();
    }
  });

  it('runs each tick once with two instances on one Redis', async () => {
    apps.push(await startApp({ ...topology().env(), ...FAST_JOBS }));
    apps.push(await startApp({ ...topology().env(), ...FAST_JOBS }));
    const runs = recordRuns(apps);
    await sleep(6_000);
    const tokenRuns = runs.filter((r) => r.name === 'token-cleanup');
    const ids = tokenRuns.map((r) => r.jobId);
    expect(new Set(ids).size).toBe(ids.length); // no tick ran twice
    expect(tokenRuns.length).toBeGreaterThanOrEqual(4);
    const ticks = ids.map(tickOf).sort((a, b) => a - b);
    for (let i = 1; i < ticks.length; i++) {
      expect((ticks[i] - ticks[i - 1]) % 1000).toBe(0);
      expect(ticks[i]).toBeGreaterThan(ticks[i - 1]);
    }
    const sessionIds = runs.filter((r) => r.name === 'session-index-cleanup').map((r) => r.jobId);
    expect(new Set(sessionIds).size).toBe(sessionIds.length);
    process.stdout.write(
      `two instances, 6 s at 1 s ticks: ${tokenRuns.length} token-cleanup runs ` +
        `(instance 0: ${tokenRuns.filter((r) => r.instance === 0).length}, ` +
        `instance 1: ${tokenRuns.filter((r) => r.instance === 1).length})\n`,
    );
  });

  it('reports each job on /health/dependencies', async () => {
    const app = await startApp({ ...topology().env(), ...FAST_JOBS, ADMIN_TOKEN });
    apps.push(app);
    await eventually(
      async () => {
        const body = await (await fetch(`${app.url}/health/dependencies`, asAdmin)).json();
        return (
          body.jobs.worker.state === 'running' &&
          body.jobs.registration.state === 'registered' &&
          body.jobs.jobs.every((j: { lastSuccessAt: string | null }) => j.lastSuccessAt !== null)
        );
      },
      15_000,
      'a run of each job',
    );
    const body = await (await fetch(`${app.url}/health/dependencies`, asAdmin)).json();
    expect(body.jobs.jobs.map((j: { name: string }) => j.name)).toEqual([
      'token-cleanup',
      'session-index-cleanup',
      'cache-cleanup',
    ]);
    for (const job of body.jobs.jobs) {
      expect(job).toMatchObject({ everyMs: 1000, overdue: false, lastError: null });
      expect(Date.now() - Date.parse(job.lastSuccessAt)).toBeLessThan(60_000);
    }
  });
});
