import { Injectable } from '@nestjs/common';
import { CacheStore } from '../../cache/cache.store';
import { AppConfig, JobScheduleConfig } from '../../config/app-config';
import { CleanupTask, drainInSteps } from '../cleanup-task';
import { MAX_PAGES_PER_RUN } from '../index-sweep.store';

/**
 * `cache-cleanup`: removes the LRU and expiry index members of service cache entries that
 * have expired (src/cache, cleanupCacheIndex-2.lua), which also keeps each service's entry
 * count exact; the script records each step in `cache_cleanup_metrics`. The entries
 * themselves expire by their own TTL.
 */
@Injectable()
export class CacheCleanupTask implements CleanupTask {
  readonly name = 'cache-cleanup';
  readonly schedule: JobScheduleConfig;

  constructor(
    config: AppConfig,
    private readonly cache: CacheStore,
  ) {
    this.schedule = config.jobs.cacheCleanup;
  }

  run(batch: number): Promise<number> {
    return drainInSteps((n) => this.cache.cleanupExpired(n), batch, MAX_PAGES_PER_RUN);
  }
}
