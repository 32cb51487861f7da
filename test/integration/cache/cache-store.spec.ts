import { CacheEntry, CacheWrite } from '../../../src/cache/cache.store';
import { keys } from '../../../src/redis/keys';
import { useTopology } from '../../support/redis-topology';
import { CacheHarness, freshService, sleep, startCacheStore } from './cache-harness';

const topology = useTopology({ mode: 'standalone' });

const entry = (text: string, contentType = 'text/plain'): CacheEntry => ({
  value: Buffer.from(text),
  contentType,
  etag: `"${text}"`,
  updatedAt: new Date().toISOString(),
});

describe('RedisCacheStore (real Redis, DB 1)', () => {
  let h: CacheHarness;
  const write = (service: string, key: string, over: Partial<CacheWrite> = {}) =>
    h.store.put({ service, key, entry: entry(key), ttlSeconds: 60, maxEntries: 100, ...over });

  beforeAll(async () => {
    h = await startCacheStore(topology().env());
  });
  afterAll(() => h?.close());

  it('stores bytes and content type in DB 1, not DB 0, and returns them as stored', async () => {
    const service = freshService('bytes');
    const value = Buffer.from([0, 255, 1, 254, 0x0a, 0x0d, 0xc3, 0x28]);
    const stored = { value, contentType: 'application/x-raw', etag: '"e1"', updatedAt: 'now' };
    const res = await h.store.put({
      service,
      key: 'k',
      entry: stored,
      ttlSeconds: 60,
      maxEntries: 5,
    });
    expect(res).toEqual({ created: true, evicted: 0 });
    expect(await h.store.get(service, 'k', [])).toEqual({ kind: 'hit', entry: stored });
    expect(await h.redis.exists(keys.cacheResource(service, 'k'))).toBe(1);
    const db0 = h.redis.duplicate({ db: 0, enableOfflineQueue: true });
    try {
      expect(await db0.exists(keys.cacheResource(service, 'k'))).toBe(0);
    } finally {
      db0.disconnect();
    }
  });

  it('keeps services apart: the same key in two services are two entries', async () => {
    const [a, b] = [freshService('iso-a'), freshService('iso-b')];
    await h.store.put({
      service: a,
      key: 'k',
      entry: entry('from-a'),
      ttlSeconds: 60,
      maxEntries: 5,
    });
    expect(await h.store.get(b, 'k', [])).toEqual({ kind: 'miss' });
    await h.store.put({
      service: b,
      key: 'k',
      entry: entry('from-b'),
      ttlSeconds: 60,
      maxEntries: 5,
    });
    const read = await h.store.get(a, 'k', []);
    expect(read.kind === 'hit' && read.entry.value.toString()).toBe('from-a');
    expect(await h.store.delete(b, 'k')).toBe(true);
    expect((await h.store.get(a, 'k', [])).kind).toBe('hit');
    expect(await h.store.stats(a)).toEqual({ entries: 1, hits: 2, misses: 0, evictions: 0 });
    expect(await h.store.stats(b)).toEqual({ entries: 0, hits: 0, misses: 1, evictions: 0 });
  });

  it('reports a replace as not created, and delete as false when nothing was there', async () => {
    const service = freshService('replace');
    expect((await write(service, 'k')).created).toBe(true);
    expect((await write(service, 'k')).created).toBe(false);
    expect(await h.store.delete(service, 'k')).toBe(true);
    expect(await h.store.delete(service, 'k')).toBe(false);
    expect(await h.redis.zcard(keys.cacheLru(service))).toBe(0);
  });

  it('evicts the least recently used entry, reads counting as use, at the limit', async () => {
    const service = freshService('lru');
    for (const key of ['a', 'b', 'c']) await write(service, key, { maxEntries: 3 });
    await h.store.get(service, 'a', []); // a is now more recent than b and c
    expect(await write(service, 'd', { maxEntries: 3 })).toEqual({ created: true, evicted: 1 });
    expect((await h.store.get(service, 'b', [])).kind).toBe('miss');
    expect(await write(service, 'e', { maxEntries: 3 })).toEqual({ created: true, evicted: 1 });
    expect((await h.store.get(service, 'c', [])).kind).toBe('miss');
    for (const key of ['a', 'd', 'e'])
      expect((await h.store.get(service, key, [])).kind).toBe('hit');
    // replacing an entry at the limit adds nothing, so it evicts nothing
    expect(await write(service, 'a', { maxEntries: 3 })).toEqual({ created: false, evicted: 0 });
    expect(await h.store.stats(service)).toMatchObject({ entries: 3, evictions: 2 });
    expect(await h.redis.zcard(keys.cacheLru(service))).toBe(3);
  });

  it('never lets concurrent writers push a service past its limit', async () => {
    const service = freshService('race');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => write(service, `k${i}`, { maxEntries: 10 })),
    );
    expect(await h.store.stats(service)).toMatchObject({ entries: 10, evictions: 40 });
    expect(await h.redis.zcard(keys.cacheLru(service))).toBe(10);
  });

  it('expires entries by TTL, and their index members do not count against the limit', async () => {
    const service = freshService('ttl');
    await write(service, 'short', { ttlSeconds: 1, maxEntries: 2 });
    await write(service, 'long', { ttlSeconds: 60, maxEntries: 2 });
    const ttl = await h.redis.pttl(keys.cacheResource(service, 'long'));
    expect(ttl).toBeGreaterThan(58_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await sleep(1100);
    expect(await h.store.stats(service)).toMatchObject({ entries: 1 });
    // the expired member is dropped, so no live entry is evicted for the new one
    expect(await write(service, 'new', { maxEntries: 2 })).toEqual({ created: true, evicted: 0 });
    expect((await h.store.get(service, 'long', [])).kind).toBe('hit');
    expect((await h.store.get(service, 'short', [])).kind).toBe('miss');
  });

  it('gives its indexes the TTL of their longest-lived entry, so they never outlive them', async () => {
    const service = freshService('index-ttl');
    await write(service, 'a', { ttlSeconds: 30 });
    await write(service, 'b', { ttlSeconds: 20 });
    for (const key of [keys.cacheLru(service), keys.cacheExpiry(service)]) {
      const left = await h.redis.pttl(key);
      expect(left).toBeGreaterThan(28_000);
      expect(left).toBeLessThanOrEqual(30_000);
    }
  });

  it('answers not-modified without the value when If-None-Match names the etag', async () => {
    const service = freshService('etag');
    await write(service, 'k');
    const read = await h.store.get(service, 'k', ['"other"', '"k"']);
    expect(read).toEqual({
      kind: 'not-modified',
      entry: { etag: '"k"', contentType: 'text/plain', updatedAt: expect.any(String) },
    });
    expect((await h.store.get(service, 'k', ['*'])).kind).toBe('not-modified');
    expect((await h.store.get(service, 'k', ['"other"'])).kind).toBe('hit');
    expect(await h.store.stats(service)).toMatchObject({ hits: 3, misses: 0 });
  });

  it('cleanupExpired removes exactly the index members of expired entries, in batches', async () => {
    const [s1, s2] = [freshService('clean-1'), freshService('clean-2')];
    for (let i = 0; i < 3; i++) await write(s1, `old${i}`, { ttlSeconds: 1 });
    for (let i = 0; i < 2; i++) await write(s2, `old${i}`, { ttlSeconds: 1 });
    await write(s1, 'live', { ttlSeconds: 60 });
    await sleep(1100);
    // s2's indexes lived exactly as long as their entries: Redis deleted them by TTL
    expect(await h.redis.exists(keys.cacheLru(s2), keys.cacheExpiry(s2))).toBe(0);
    expect(await h.redis.sismember(keys.cacheServices(), s2)).toBe(1);
    const before = Number(await h.redis.hget(keys.cacheCleanupMetrics(), 'removed_total'));
    // drain in batches of 2: a full batch means more may be left
    let removed = 0;
    for (let run = await h.store.cleanupExpired(2); ; run = await h.store.cleanupExpired(2)) {
      expect(run).toBeLessThanOrEqual(2);
      removed += run;
      if (run < 2) break;
    }
    expect(removed).toBe(3); // s1's three: nothing else in this suite has expired
    expect(await h.redis.zrange(keys.cacheLru(s1), '0', '-1')).toEqual(['live']);
    expect(await h.redis.zrange(keys.cacheExpiry(s1), '0', '-1')).toEqual(['live']);
    expect(await h.redis.sismember(keys.cacheServices(), s2)).toBe(0);
    expect(await h.redis.sismember(keys.cacheServices(), s1)).toBe(1);
    const metrics = await h.redis.hgetall(keys.cacheCleanupMetrics());
    expect(Number(metrics.removed_total) - (before || 0)).toBe(removed);
    expect(Number(metrics.last_run_ms)).toBeGreaterThan(Date.now() - 60_000);
    expect((await h.store.get(s1, 'live', [])).kind).toBe('hit');
  });
});
