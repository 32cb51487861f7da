import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CLEANUP_TASKS, CleanupTask } from './cleanup-task';
import { JobSchedules } from './job-schedules';
import { JobStatusStore } from './job-status.store';
import { JobsBoard } from './jobs-board';
import { JobsWorker } from './jobs-worker';

/**
 * Every JOBS_WATCHDOG_INTERVAL_MS: reads the cluster-wide job records and recreates this
 * instance's worker when
 * - its blocking connection reached ioredis's terminal `end` state (it will never take a job
 *   again; taskforcesh/bullmq#4378), or
 * - a job is overdue: no instance ran it successfully for longer than its interval plus
 *   JOBS_WATCHDOG_SLACK_MS (every worker may be stuck, each instance replaces its own); the
 *   schedulers are upserted again too, in case a failover lost the next tick's job.
 * Nothing is judged while the records cannot be read (Redis down: a new worker would not
 * help), and a recreated worker gets a full interval plus slack before it is judged again.
 */
@Injectable()
export class JobsWatchdog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private lastRecreatedMs = 0;

  constructor(
    @Inject(CLEANUP_TASKS) private readonly tasks: CleanupTask[],
    private readonly status: JobStatusStore,
    private readonly board: JobsBoard,
    private readonly worker: JobsWorker,
    private readonly schedules: JobSchedules,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), this.config.jobs.watchdogIntervalMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One watchdog pass; returns why the worker was recreated, or null. */
  async check(nowMs = Date.now()): Promise<string | null> {
    if (this.checking) return null;
    this.checking = true;
    try {
      this.board.worker = {
        ...this.board.worker,
        blockingConnection: this.worker.blockingStatus(),
      };
      const records = await this.status.read(this.tasks.map((t) => t.name)).catch(() => null);
      if (records === null) return null;
      this.board.refresh(records);
      const overdue = this.overdue(nowMs);
      const reasons = [
        ...(this.worker.blockingStatus() === 'end' ? ['its blocking connection ended'] : []),
        ...(overdue.length > 0 ? [`overdue: ${overdue.join(', ')}`] : []),
      ];
      if (reasons.length === 0) return null;
      const reason = reasons.join('; ');
      this.lastRecreatedMs = nowMs;
      await this.worker.recreate(reason);
      if (overdue.length > 0) {
        await this.schedules.registerAll().catch((err: Error) => {
          this.logger.warn(`could not re-register the cleanup jobs: ${err.message}`);
        });
      }
      return reason;
    } finally {
      this.checking = false;
    }
  }

  private overdue(nowMs: number): string[] {
    const slack = this.config.jobs.watchdogSlackMs;
    return this.tasks
      .filter((task) => {
        const since = this.board.waitingSinceMs(task.name, this.lastRecreatedMs);
        return nowMs - since > task.schedule.everyMs + slack;
      })
      .map((task) => task.name);
  }
}
