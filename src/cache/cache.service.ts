import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AppConfig, CacheConfig } from '../config/app-config';
import { METRIC } from '../metrics/metric-names';
import { checkContentType, checkKey, resolveTtl, strongEtag } from './cache-request';
import { CacheValueTooLargeError } from './cache.errors';
import { CacheRead, CacheStore } from './cache.store';

/** What a PUT asks for, as it arrived. */
export interface CachePutRequest {
  readonly value: Buffer | undefined;
  readonly contentType: string | undefined;
  readonly ttlHeader: string | undefined;
  readonly ttlQuery: string | undefined;
}

export interface CachePutResult {
  readonly created: boolean;
  readonly etag: string;
  readonly ttlSeconds: number;
}

/** GET /api/v1/cache/{service}: the body as documented in docs/cache.md. */
export interface CacheStatsView {
  readonly service: string;
  readonly entries: number;
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses); null before the first read. */
  readonly hit_ratio: number | null;
}

/**
 * The service cache's rules (key, TTL, size, content type, etag) and metrics; storage is
 * CacheStore's. The namespace was checked by CacheNamespaceGuard before any call here.
 */
@Injectable()
export class CacheService {
  private readonly limits: CacheConfig;

  constructor(
    private readonly store: CacheStore,
    config: AppConfig,
    @InjectMetric(METRIC.cacheLookups) private readonly lookups: Counter<string>,
    @InjectMetric(METRIC.cacheWrites) private readonly writes: Counter<string>,
    @InjectMetric(METRIC.cacheEvictions) private readonly evictions: Counter<string>,
  ) {
    this.limits = config.cache;
  }

  async get(service: string, key: string, ifNoneMatch: readonly string[]): Promise<CacheRead> {
    const read = await this.store.get(service, checkKey(key), ifNoneMatch);
    this.lookups.inc({ service, result: read.kind === 'miss' ? 'miss' : 'hit' });
    return read;
  }

  async put(service: string, key: string, request: CachePutRequest): Promise<CachePutResult> {
    checkKey(key);
    const value = request.value ?? Buffer.alloc(0);
    if (value.length > this.limits.maxValueBytes) {
      throw new CacheValueTooLargeError(this.limits.maxValueBytes);
    }
    const ttlSeconds = resolveTtl(request.ttlHeader, request.ttlQuery, this.limits);
    const etag = strongEtag(value);
    const entry = {
      value,
      contentType: checkContentType(request.contentType),
      etag,
      updatedAt: new Date().toISOString(),
    };
    const { created, evicted } = await this.store.put({
      service,
      key,
      entry,
      ttlSeconds,
      maxEntries: this.limits.maxEntriesPerService,
    });
    this.writes.inc({ service, result: created ? 'created' : 'replaced' });
    if (evicted > 0) this.evictions.inc({ service }, evicted);
    return { created, etag, ttlSeconds };
  }

  delete(service: string, key: string): Promise<boolean> {
    return this.store.delete(service, checkKey(key));
  }

  async stats(service: string): Promise<CacheStatsView> {
    const { entries, hits, misses } = await this.store.stats(service);
    const reads = hits + misses;
    return { service, entries, hits, misses, hit_ratio: reads === 0 ? null : hits / reads };
  }
}
