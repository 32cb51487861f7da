import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { backoffDelay } from '../redis/connection-state';
import { CLEANUP_QUEUE, CLEANUP_TASKS, CleanupTask } from './cleanup-task';
import { jobsErrorListener, releaseDetectors } from './jobs-connection';
import { JobStatusStore } from './job-status.store';
import { JobsBoard } from './jobs-board';
import { JobsWorker } from './jobs-worker';

/** Jobs kept per state for inspection (BullMQ deletes older ones). */
const KEEP_JOBS = 50;

/**
 * Registers one BullMQ job scheduler per cleanup task (`upsertJobScheduler`, `every`
 * interval) and starts this instance's worker. Registration is idempotent: every instance
 * does it at start-up, and the schedulers (stored in Redis) make exactly one worker take
 * each tick, however many instances run. It never blocks start-up: while Redis is down it
 * retries in the background with the connection backoff (REDIS_RETRY_*).
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @InjectQueue(CLEANUP_QUEUE) private readonly queue: Queue,
    @Inject(CLEANUP_TASKS) private readonly tasks: CleanupTask[],
    private readonly status: JobStatusStore,
    private readonly board: JobsBoard,
    private readonly worker: JobsWorker,
    private readonly config: AppConfig,
  ) {
    // Connection errors are the registrar's and the watchdog's to report, settings problems
    // (jobs user, CA, ACL) excepted; without a listener BullMQ prints each one to the console.
    queue.on('error', jobsErrorListener(config.redis, this.logger, 'cleanup queue'));
    releaseDetectors(queue.getBackend().client);
  }

  onApplicationBootstrap(): void {
    this.worker.start();
    void this.registerWithRetries(1);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  /**
   * Upserts every scheduler. Also the watchdog's repair: if a failover lost the delayed job
   * of the next tick (replication is asynchronous), upserting adds it again; an existing one
   * is replaced at the same time, so a repeated call never adds a tick.
   */
  async registerAll(): Promise<void> {
    for (const task of this.tasks) {
      await this.queue.upsertJobScheduler(
        task.name,
        { every: task.schedule.everyMs },
        { name: task.name, opts: { removeOnComplete: KEEP_JOBS, removeOnFail: KEEP_JOBS } },
      );
      await this.status.markRegistered(task.name, Date.now());
    }
    this.board.registration = { state: 'registered', lastError: null };
  }

  private async registerWithRetries(attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      await withTimeout(this.registerAll(), this.attemptTimeoutMs());
      this.logger.log(`registered ${this.tasks.map((t) => t.name).join(', ')}`);
    } catch (err) {
      if (this.stopped) return;
      const delay = backoffDelay(
        attempt,
        this.config.redis.retryBaseMs,
        this.config.redis.retryMaxMs,
      );
      const message = (err as Error).message;
      this.board.registration = { state: 'retrying', lastError: message };
      this.logger.warn(`could not register the cleanup jobs (${message}); retrying in ${delay} ms`);
      this.retryTimer = setTimeout(() => void this.registerWithRetries(attempt + 1), delay);
    }
  }

  /** BullMQ waits for its connection instead of failing while Redis is down: bound that. */
  private attemptTimeoutMs(): number {
    return Math.max(2 * this.config.redis.connectTimeoutMs, 2000);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
