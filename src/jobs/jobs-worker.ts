import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { keys } from '../redis/keys';
import { CLEANUP_QUEUE } from './cleanup-task';
import { jobsConnection, jobsErrorListener, releaseDetectors } from './jobs-connection';
import { JobRunner } from './job-runner';
import { JobsBoard } from './jobs-board';

/** Longest wait for a worker to close before its connections are dropped. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * This instance's BullMQ worker on the cleanup queue (concurrency 1), on its own
 * connections (buildJobsRedisOptions). Created here rather than through @nestjs/bullmq's
 * @Processor so the watchdog can replace it: after a Sentinel failover BullMQ's blocking
 * connection can reach ioredis's terminal `end` state while `isRunning()` stays true, and
 * the worker then never takes another job (taskforcesh/bullmq#4378, #2151).
 */
@Injectable()
export class JobsWorker implements OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private worker: Worker | undefined;
  /** The blocking connection's client, once BullMQ has connected it. */
  private blocking: { status: string } | undefined;
  private closed = false;
  /** One listener for every worker incarnation, so a problem is logged once, not per worker. */
  private readonly onError: (err: Error) => void;

  constructor(
    private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly board: JobsBoard,
  ) {
    // Without a listener an `error` event (any Redis error) would crash the process.
    this.onError = jobsErrorListener(config.redis, this.logger, 'cleanup worker');
  }

  start(): void {
    if (!this.closed && !this.worker) this.worker = this.create();
  }

  /** ioredis status of the blocking connection; null until it first connected. */
  blockingStatus(): string | null {
    return this.blocking?.status ?? null;
  }

  /** Replaces the worker: the new one starts before the old one is closed. */
  async recreate(reason: string): Promise<void> {
    if (this.closed) return;
    const old = this.worker;
    this.logger.warn(`recreating the cleanup worker: ${reason}`);
    this.board.worker = {
      ...this.board.worker,
      state: 'starting',
      recreations: this.board.worker.recreations + 1,
      lastRecreatedAt: new Date().toISOString(),
      lastRecreateReason: reason,
    };
    this.blocking = undefined;
    this.worker = this.create();
    await closeWorker(old);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.board.worker = { ...this.board.worker, state: 'closed' };
    await closeWorker(this.worker);
    this.worker = undefined;
  }

  private create(): Worker {
    const worker = new Worker(
      CLEANUP_QUEUE,
      (job: Job) => this.runner.run(job.name, job.id ?? ''),
      {
        connection: jobsConnection(this.config.redis, 'worker'),
        prefix: keys.jobsPrefix(),
        concurrency: 1,
      },
    );
    releaseDetectors(worker.getBackend().client, worker.getBackend().blockingClient);
    worker.on('error', this.onError);
    worker.on('ready', () => {
      if (this.worker === worker) this.board.worker = { ...this.board.worker, state: 'running' };
    });
    worker
      .getBackend()
      .blockingClient?.then((client) => {
        if (this.worker === worker) this.blocking = client as unknown as { status: string };
      })
      .catch(() => undefined);
    return worker;
  }
}

/** Closes a worker without waiting for its job, dropping its connections if that hangs. */
async function closeWorker(worker: Worker | undefined): Promise<void> {
  if (!worker) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([worker.close(true), timeout]);
    if (outcome === 'timeout') await worker.disconnect();
  } catch {
    await worker.disconnect().catch(() => undefined);
  } finally {
    clearTimeout(timer);
  }
}
