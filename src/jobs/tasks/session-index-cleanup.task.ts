import { Injectable } from '@nestjs/common';
import { AppConfig, JobScheduleConfig } from '../../config/app-config';
import { CleanupTask } from '../cleanup-task';
import { IndexSweepStore, sweepIndexes } from '../index-sweep.store';

/**
 * `session-index-cleanup`: drops expired entries from the per-user session indexes
 * (`auth:user_sessions:{id}`). Like the token indexes they are trimmed on every login and
 * expire with their longest-lived session; this reaches users who stopped logging in.
 * Sessions themselves expire by their own TTL.
 */
@Injectable()
export class SessionIndexCleanupTask implements CleanupTask {
  readonly name = 'session-index-cleanup';
  readonly schedule: JobScheduleConfig;

  constructor(
    config: AppConfig,
    private readonly sweeper: IndexSweepStore,
  ) {
    this.schedule = config.jobs.sessionIndexCleanup;
  }

  run(batch: number): Promise<number> {
    return sweepIndexes(this.sweeper, 'user-sessions', batch);
  }
}
