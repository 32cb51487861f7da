import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { METRIC } from '../metrics/metric-names';
import { CLEANUP_TASKS, CleanupTask } from './cleanup-task';
import type { JobRecord } from './job-status.store';

export type WorkerState = 'starting' | 'running' | 'closed';
export type RegistrationState = 'pending' | 'registered' | 'retrying';

export interface JobReport {
  readonly name: string;
  readonly everyMs: number;
  readonly batch: number;
  /** Any instance's last successful run (ISO time), as last read from Redis. */
  readonly lastSuccessAt: string | null;
  readonly lastErrorAt: string | null;
  readonly lastError: string | null;
  readonly runs: number;
  /** No successful run for longer than the interval plus JOBS_WATCHDOG_SLACK_MS. */
  readonly overdue: boolean;
}

export interface JobsReportBody {
  readonly enabled: boolean;
  readonly worker?: {
    readonly state: WorkerState;
    /** ioredis status of the worker's blocking connection (`end` = dead, recreated). */
    readonly blockingConnection: string | null;
    readonly recreations: number;
    readonly lastRecreatedAt: string | null;
    readonly lastRecreateReason: string | null;
  };
  readonly registration?: { readonly state: RegistrationState; readonly lastError: string | null };
  readonly jobs?: JobReport[];
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * This instance's view of the cleanup jobs, for /health/dependencies and the watchdog: the
 * cluster-wide records (refreshed from Redis by the watchdog, updated at once by this
 * instance's own runs), the worker and the schedule registration. Owns the last-success and
 * interval gauges, set for every job from start-up so alerts can tell "never ran" from
 * "not exported".
 */
@Injectable()
export class JobsBoard implements OnModuleInit {
  readonly startedAtMs = Date.now();
  private readonly records = new Map<string, JobRecord>();
  worker: NonNullable<JobsReportBody['worker']> = {
    state: 'starting',
    blockingConnection: null,
    recreations: 0,
    lastRecreatedAt: null,
    lastRecreateReason: null,
  };
  registration: { state: RegistrationState; lastError: string | null } = {
    state: 'pending',
    lastError: null,
  };

  constructor(
    @Inject(CLEANUP_TASKS) private readonly tasks: CleanupTask[],
    @InjectMetric(METRIC.jobLastSuccess) private readonly lastSuccess: Gauge<string>,
    @InjectMetric(METRIC.jobInterval) private readonly interval: Gauge<string>,
  ) {}

  onModuleInit(): void {
    for (const task of this.tasks) {
      this.interval.set({ job_name: task.name }, task.schedule.everyMs / 1000);
      this.lastSuccess.set({ job_name: task.name }, 0);
    }
  }

  /** Replaces the records with Redis's (the watchdog's read). */
  refresh(records: Map<string, JobRecord>): void {
    for (const [name, record] of records) this.set(name, record);
  }

  noteSuccess(name: string, atMs: number): void {
    const r = this.get(name);
    this.set(name, { ...r, lastSuccessMs: Math.max(r.lastSuccessMs ?? 0, atMs), runs: r.runs + 1 });
  }

  noteFailure(name: string, atMs: number, message: string): void {
    this.set(name, { ...this.get(name), lastErrorMs: atMs, lastError: message });
  }

  /**
   * Since when the job has been waiting for a successful run: its last success, else its
   * first registration, never earlier than this process's start or `notBeforeMs` (the last
   * recreation, so a recreated worker gets a full interval before it is judged again).
   */
  waitingSinceMs(name: string, notBeforeMs = 0): number {
    const r = this.get(name);
    return Math.max(r.lastSuccessMs ?? r.registeredMs ?? 0, this.startedAtMs, notBeforeMs);
  }

  report(nowMs: number, slackMs: number): JobsReportBody {
    const jobs = this.tasks.map((task) => {
      const r = this.get(task.name);
      return {
        name: task.name,
        everyMs: task.schedule.everyMs,
        batch: task.schedule.batch,
        lastSuccessAt: iso(r.lastSuccessMs),
        lastErrorAt: iso(r.lastErrorMs),
        lastError: r.lastError,
        runs: r.runs,
        overdue: nowMs - this.waitingSinceMs(task.name) > task.schedule.everyMs + slackMs,
      };
    });
    return { enabled: true, worker: this.worker, registration: this.registration, jobs };
  }

  private get(name: string): JobRecord {
    return (
      this.records.get(name) ?? {
        lastSuccessMs: null,
        lastErrorMs: null,
        lastError: null,
        runs: 0,
        registeredMs: null,
      }
    );
  }

  private set(name: string, record: JobRecord): void {
    this.records.set(name, record);
    const since = record.lastSuccessMs ?? record.registeredMs;
    if (since !== null) this.lastSuccess.set({ job_name: name }, since / 1000);
  }
}
