/** One cached value, returned exactly as it was stored. */
export interface CacheEntry {
  readonly value: Buffer;
  readonly contentType: string;
  /** Strong entity tag (RFC 9110 section 8.8.3), quotes included. */
  readonly etag: string;
  /** ISO 8601 time of the write that stored it. */
  readonly updatedAt: string;
}

/** A lookup's outcome; `not-modified` carries no value (RFC 9110 section 15.4.5). */
export type CacheRead =
  | { readonly kind: 'hit'; readonly entry: CacheEntry }
  | { readonly kind: 'not-modified'; readonly entry: Omit<CacheEntry, 'value'> }
  | { readonly kind: 'miss' };

export interface CacheWrite {
  readonly service: string;
  readonly key: string;
  readonly entry: CacheEntry;
  readonly ttlSeconds: number;
  /** The service's entry limit; a write that would exceed it evicts the LRU entries. */
  readonly maxEntries: number;
}

export interface CacheWriteResult {
  /** false: an existing entry was replaced. */
  readonly created: boolean;
  /** Live entries of the service evicted to make room (0 or 1 normally). */
  readonly evicted: number;
}

export interface CacheStats {
  /** Live entries (expired ones not yet cleaned up are not counted). */
  readonly entries: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/**
 * Storage of the service cache (the Redis implementation is redis-cache.store.ts, on the
 * cache client, DB 1). Entries of different services never meet: every method is scoped to
 * one service, whose name never contains `:`.
 *
 * Contract:
 * - `get` returns the entry as last `put` (bytes, content type, etag), or a miss once it
 *   expired or was deleted or evicted; in the same atomic step it marks the entry as most
 *   recently used and counts a hit or a miss for the service. When one of `ifNoneMatch`
 *   equals the entry's etag (or is `*`), it answers `not-modified` without the value.
 * - `put` stores the entry with the TTL, replacing any previous one of that key. When it
 *   adds an entry to a service that already holds `maxEntries` live entries, the least
 *   recently used (read or written) entries of that service are deleted in the same atomic
 *   step, so the service never holds more than `maxEntries` entries.
 * - `delete` removes the entry; false when there was none.
 * - `stats` counts the service's live entries and its hits, misses and evictions.
 * - `cleanupExpired(batch)` removes at most `batch` index members of expired entries
 *   (across services), records the run in `cache_cleanup_metrics` and returns how many it
 *   removed (`batch`: call again, more may be left). The cache-cleanup job calls it.
 * - Storage outages leave every method as RedisUnavailableException (503), nothing else.
 */
export abstract class CacheStore {
  abstract get(service: string, key: string, ifNoneMatch: readonly string[]): Promise<CacheRead>;
  abstract put(write: CacheWrite): Promise<CacheWriteResult>;
  abstract delete(service: string, key: string): Promise<boolean>;
  abstract stats(service: string): Promise<CacheStats>;
  abstract cleanupExpired(batch: number): Promise<number>;
}
