import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import type { AppConfig } from '../config/app-config';
import { MetricsModule } from '../metrics/metrics.module';
import { keys } from '../redis/keys';
import { jobsConnection } from './jobs-connection';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { CLEANUP_QUEUE, CLEANUP_TASKS, CleanupTask } from './cleanup-task';
import { IndexSweepStore } from './index-sweep.store';
import { JobRunner } from './job-runner';
import { JobSchedules } from './job-schedules';
import { JobStatusStore } from './job-status.store';
import { JobsBoard } from './jobs-board';
import { JobsWatchdog } from './jobs-watchdog';
import { JobsWorker } from './jobs-worker';
import { RedisIndexSweepStore } from './redis-index-sweep.store';
import { RedisJobStatusStore } from './redis-job-status.store';
import { CacheCleanupTask } from './tasks/cache-cleanup.task';
import { SessionIndexCleanupTask } from './tasks/session-index-cleanup.task';
import { TokenCleanupTask } from './tasks/token-cleanup.task';

/**
 * Cleanup jobs (docs/jobs.md): one BullMQ queue on its own connections, one job scheduler
 * per CleanupTask, this instance's worker and its watchdog. Global only to export JobsBoard
 * to the dependency report (src/health). With JOBS_ENABLED=false it provides nothing: no
 * Redis connection, no worker, and the report says `enabled: false`.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.jobs.enabled) return { module: JobsModule };
    return {
      module: JobsModule,
      imports: [
        MetricsModule,
        TokensModule,
        SessionsModule,
        CacheModule,
        BullModule.forRoot({
          connection: jobsConnection(config.redis, 'queue'),
          prefix: keys.jobsPrefix(),
        }),
        // No forceDisconnectOnShutdown: @nestjs/bullmq then awaits the queue's client, which
        // never resolves while Redis is unreachable, and shutdown hangs. Queue.close() alone
        // quits a connected client and disconnects one that never connected.
        BullModule.registerQueue({ name: CLEANUP_QUEUE }),
      ],
      providers: [
        TokenCleanupTask,
        SessionIndexCleanupTask,
        CacheCleanupTask,
        // The scheduled tasks; a module contributing one adds its task class here and to
        // `inject`.
        {
          provide: CLEANUP_TASKS,
          inject: [TokenCleanupTask, SessionIndexCleanupTask, CacheCleanupTask],
          useFactory: (...tasks: CleanupTask[]): CleanupTask[] => tasks,
        },
        { provide: IndexSweepStore, useClass: RedisIndexSweepStore },
        { provide: JobStatusStore, useClass: RedisJobStatusStore },
        JobsBoard,
        JobRunner,
        JobsWorker,
        JobSchedules,
        JobsWatchdog,
      ],
      exports: [JobsBoard],
    };
  }
}
