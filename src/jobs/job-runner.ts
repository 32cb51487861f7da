import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { EventEmitter } from 'node:events';
import type { Counter, Histogram } from 'prom-client';
import { METRIC } from '../metrics/metric-names';
import { CLEANUP_TASKS, CleanupTask } from './cleanup-task';
import { JobStatusStore } from './job-status.store';
import { JobsBoard } from './jobs-board';

/** Emitted as `run` after each successful run (tests count ticks with it). */
export interface JobRunEvent {
  readonly name: string;
  /** BullMQ job id: one per scheduled tick, e.g. `repeat:token-cleanup:1700000000000`. */
  readonly jobId: string;
  readonly removed: number;
}

/**
 * Runs one tick of a cleanup task for the BullMQ worker: metrics, one log line per run, the
 * cluster-wide status record. A failed run is rethrown so BullMQ records the job as failed;
 * the next tick runs as scheduled.
 */
@Injectable()
export class JobRunner extends EventEmitter implements OnModuleInit {
  private readonly logger = new Logger('Jobs');
  private readonly tasks: Map<string, CleanupTask>;

  constructor(
    @Inject(CLEANUP_TASKS) tasks: CleanupTask[],
    private readonly status: JobStatusStore,
    private readonly board: JobsBoard,
    @InjectMetric(METRIC.jobRuns) private readonly runs: Counter<string>,
    @InjectMetric(METRIC.jobDuration) private readonly duration: Histogram<string>,
    @InjectMetric(METRIC.jobItemsRemoved) private readonly removedItems: Counter<string>,
  ) {
    super();
    this.tasks = new Map(tasks.map((task) => [task.name, task]));
  }

  /** Every series exists before the first run, so alerts can compare against zero. */
  onModuleInit(): void {
    for (const job_name of this.tasks.keys()) {
      this.runs.inc({ job_name, result: 'success' }, 0);
      this.runs.inc({ job_name, result: 'failure' }, 0);
      this.removedItems.inc({ job_name }, 0);
      this.duration.zero({ job_name });
    }
  }

  async run(name: string, jobId: string): Promise<number> {
    const task = this.tasks.get(name);
    // A job of a task this version does not know (e.g. left by a newer version): fail it.
    if (!task) throw new Error(`no cleanup task named ${name}`);
    const stop = this.duration.startTimer({ job_name: name });
    try {
      const removed = await task.run(task.schedule.batch);
      const seconds = stop();
      this.runs.inc({ job_name: name, result: 'success' });
      this.removedItems.inc({ job_name: name }, removed);
      this.board.noteSuccess(name, Date.now());
      await this.status.recordSuccess(name, Date.now()).catch((err: Error) => {
        this.logger.warn(`${name}: could not record the run: ${err.message}`);
      });
      this.logger.log(
        { job: name, jobId, removed, durationMs: Math.round(seconds * 1000) },
        'cleanup job run',
      );
      this.emit('run', { name, jobId, removed } satisfies JobRunEvent);
      return removed;
    } catch (err) {
      stop();
      const message = (err as Error).message;
      this.runs.inc({ job_name: name, result: 'failure' });
      this.board.noteFailure(name, Date.now(), message);
      await this.status.recordFailure(name, Date.now(), message).catch(() => undefined);
      this.logger.warn({ job: name, jobId, err: message }, 'cleanup job failed');
      throw err;
    }
  }
}
