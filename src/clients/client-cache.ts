import type { ClientChangeListener, ClientRecord } from './client.store';

/**
 * How long "no such client" is remembered, at most. Short, because it only has to absorb a
 * flood of random client_ids; a create announces itself and evicts the entry at once anyway.
 */
export const UNKNOWN_CLIENT_TTL_MS = 1000;
/** Bounds on memory: a flood of random ids can only churn the unknown-id map. */
export const MAX_CACHED_CLIENTS = 10_000;
export const MAX_CACHED_UNKNOWN_IDS = 10_000;

interface Entry {
  readonly record: ClientRecord | null;
  readonly expiresAt: number;
}

/**
 * In-process cache of client records, so client authentication on the token path costs no
 * Redis round trip. Correctness comes from the change announcements of ClientStore.watch:
 * - an announced change evicts the id (every instance hears it within milliseconds);
 * - while announcements do not flow (subscriber down) nothing is served from the cache,
 *   and when they flow again everything is dropped (messages may have been missed);
 * - a load that was in flight when any change was announced is returned but not kept, so
 *   a reply read before a write can never be cached after that write's eviction;
 * - every entry also expires after `ttlMs` (unknown ids after at most 1 s), a bound that
 *   holds even if an announcement were lost without a reconnect.
 * `ttlMs` 0 disables caching entirely.
 */
export class ClientCache implements ClientChangeListener {
  private readonly found = new Map<string, Entry>();
  private readonly unknown = new Map<string, Entry>();
  /** Loads in flight, shared by concurrent lookups of one id. */
  private readonly loading = new Map<string, Promise<ClientRecord | null>>();
  /** Bumped by every eviction; a load only caches its result if it did not move meanwhile. */
  private epoch = 0;
  private flowing = false;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The record of `id` from the cache, or from `load` (then cached when safe). */
  lookup(
    id: string,
    load: (id: string) => Promise<ClientRecord | null>,
  ): Promise<ClientRecord | null> {
    if (!this.enabled || !this.flowing) return load(id);
    const hit = this.found.get(id) ?? this.unknown.get(id);
    if (hit && hit.expiresAt > this.now()) return Promise.resolve(hit.record);
    const pending = this.loading.get(id);
    if (pending) return pending;
    const epoch = this.epoch;
    const promise = load(id)
      .then((record) => {
        if (this.epoch === epoch) this.keep(id, record);
        return record;
      })
      .finally(() => {
        if (this.loading.get(id) === promise) this.loading.delete(id);
      });
    this.loading.set(id, promise);
    return promise;
  }

  changed(id: string): void {
    this.epoch += 1;
    this.found.delete(id);
    this.unknown.delete(id);
    this.loading.delete(id);
  }

  live(flowing: boolean): void {
    this.flowing = flowing;
    this.clear();
  }

  clear(): void {
    this.epoch += 1;
    this.found.clear();
    this.unknown.clear();
    this.loading.clear();
  }

  private keep(id: string, record: ClientRecord | null): void {
    this.found.delete(id);
    this.unknown.delete(id);
    const [map, max, ttl] = record
      ? [this.found, MAX_CACHED_CLIENTS, this.ttlMs]
      : [this.unknown, MAX_CACHED_UNKNOWN_IDS, Math.min(this.ttlMs, UNKNOWN_CLIENT_TTL_MS)];
    // Maps iterate in insertion order: drop the oldest entry when full.
    if (map.size >= max) map.delete(map.keys().next().value as string);
    map.set(id, { record, expiresAt: this.now() + ttl });
  }
}
