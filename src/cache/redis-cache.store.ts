import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys } from '../redis/keys';
import { storageCall } from '../redis/redis-unavailable';
import { REDIS_CACHE } from '../redis/redis.tokens';
import { CacheRead, CacheStats, CacheStore, CacheWrite, CacheWriteResult } from './cache.store';

/** Prefixes (keys.ts builders with an empty name) for the index keys the cleanup builds. */
const LRU_PREFIX = keys.cacheLru('');
const EXPIRY_PREFIX = keys.cacheExpiry('');
const UNAVAILABLE = 'The service cache storage is unavailable; retry later';

/** getCacheEntry-4.lua reply codes. */
const HIT = 1;
const NOT_MODIFIED = 2;

/**
 * CacheStore on the cache client (REDIS_CACHE: DB 1, possibly its own server) through the
 * Lua scripts getCacheEntry, putCacheEntry, readCacheStats and cleanupCacheIndex: one round
 * trip per call. Values travel as Buffers (the `...Buffer` variant of the read script), so
 * any bytes survive. Every call goes through storageCall: a cache outage is a 503 of the
 * cache API only; the auth client (DB 0) is another connection.
 */
@Injectable()
export class RedisCacheStore extends CacheStore {
  constructor(@Inject(REDIS_CACHE) private readonly redis: Redis) {
    super();
  }

  get(service: string, key: string, ifNoneMatch: readonly string[]): Promise<CacheRead> {
    return storageCall(async () => {
      const reply = await this.redis.getCacheEntryBuffer(
        keys.cacheResource(service, key),
        keys.cacheLru(service),
        keys.cacheExpiry(service),
        keys.cacheStats(),
        key,
        service,
        ifNoneMatch.join(' '),
      );
      if (!Array.isArray(reply)) return { kind: 'miss' };
      const [code, etag, contentType, updatedAt, value] = reply;
      const meta = {
        etag: etag.toString(),
        contentType: contentType.toString(),
        updatedAt: updatedAt.toString(),
      };
      if (Number(code) === NOT_MODIFIED) return { kind: 'not-modified', entry: meta };
      if (Number(code) !== HIT) throw new Error(`getCacheEntry returned unknown code ${code}`);
      return { kind: 'hit', entry: { ...meta, value } };
    }, UNAVAILABLE);
  }

  put(w: CacheWrite): Promise<CacheWriteResult> {
    return storageCall(async () => {
      const [created, evicted] = await this.redis.putCacheEntry(
        keys.cacheResource(w.service, w.key),
        keys.cacheLru(w.service),
        keys.cacheExpiry(w.service),
        keys.cacheStats(),
        keys.cacheServices(),
        w.key,
        w.service,
        keys.cacheResource(w.service, ''),
        w.ttlSeconds * 1000,
        w.maxEntries,
        w.entry.value,
        w.entry.contentType,
        w.entry.etag,
        w.entry.updatedAt,
      );
      return { created: created === 1, evicted };
    }, UNAVAILABLE);
  }

  delete(service: string, key: string): Promise<boolean> {
    // Blind writes: MULTI is enough, nothing is read before writing.
    return storageCall(async () => {
      const replies = await this.redis
        .multi()
        .del(keys.cacheResource(service, key))
        .zrem(keys.cacheLru(service), key)
        .zrem(keys.cacheExpiry(service), key)
        .exec();
      return Number(replies?.[0]?.[1] ?? 0) > 0;
    }, UNAVAILABLE);
  }

  stats(service: string): Promise<CacheStats> {
    return storageCall(async () => {
      const [entries, hits, misses, evictions] = await this.redis.readCacheStats(
        keys.cacheExpiry(service),
        keys.cacheStats(),
        keys.cacheLru(service),
        service,
      );
      return { entries, hits, misses, evictions };
    }, UNAVAILABLE);
  }

  cleanupExpired(batch: number): Promise<number> {
    if (!Number.isInteger(batch) || batch < 1) {
      throw new RangeError('the cleanup batch must be a positive integer');
    }
    return storageCall(
      () =>
        this.redis.cleanupCacheIndex(
          keys.cacheServices(),
          keys.cacheCleanupMetrics(),
          batch,
          LRU_PREFIX,
          EXPIRY_PREFIX,
        ),
      UNAVAILABLE,
    );
  }
}
