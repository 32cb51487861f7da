/**
 * The watchdog's decisions with fake stores and worker: recreate on a dead blocking
 * connection or an overdue job, never while Redis cannot be read, and not again before a
 * recreated worker had a full interval plus slack.
 */
import type { Gauge } from 'prom-client';
import { AppConfig } from '../../../src/config/app-config';
import { loadConfig } from '../../../src/config/load-config';
import type { CleanupTask } from '../../../src/jobs/cleanup-task';
import type { JobSchedules } from '../../../src/jobs/job-schedules';
import { JobRecord, JobStatusStore } from '../../../src/jobs/job-status.store';
import { JobsBoard } from '../../../src/jobs/jobs-board';
import { JobsWatchdog } from '../../../src/jobs/jobs-watchdog';
import type { JobsWorker } from '../../../src/jobs/jobs-worker';

class FakeStatus extends JobStatusStore {
  records = new Map<string, JobRecord>();
  down = false;
  async recordSuccess(): Promise<void> {}
  async recordFailure(): Promise<void> {}
  async markRegistered(): Promise<void> {}
  async read(): Promise<Map<string, JobRecord>> {
    if (this.down) throw new Error('Connection is closed');
    return this.records;
  }
}

const gauge = { set: () => undefined } as unknown as Gauge<string>;
const record = (lastSuccessMs: number | null): JobRecord => ({
  lastSuccessMs,
  lastErrorMs: null,
  lastError: null,
  runs: 0,
  registeredMs: null,
});

describe('JobsWatchdog', () => {
  const config: AppConfig = loadConfig({
    JOBS_TOKEN_CLEANUP_EVERY_MS: '1000',
    JOBS_WATCHDOG_SLACK_MS: '2000',
  });
  const task: CleanupTask = {
    name: 'token-cleanup',
    schedule: config.jobs.tokenCleanup,
    run: async () => 0,
  };
  let status: FakeStatus;
  let board: JobsBoard;
  let blocking: string | null;
  let recreated: string[];
  let registered: number;
  let watchdog: JobsWatchdog;

  beforeEach(() => {
    status = new FakeStatus();
    board = new JobsBoard([task], gauge, gauge);
    blocking = 'ready';
    recreated = [];
    registered = 0;
    const worker = {
      blockingStatus: () => blocking,
      recreate: async (reason: string) => void recreated.push(reason),
    } as unknown as JobsWorker;
    const schedules = { registerAll: async () => void registered++ } as unknown as JobSchedules;
    watchdog = new JobsWatchdog([task], status, board, worker, schedules, config);
  });

  it('leaves a worker alone while ticks succeed', async () => {
    const now = board.startedAtMs + 10_000;
    status.records.set(task.name, record(now - 1500));
    expect(await watchdog.check(now)).toBeNull();
    expect(recreated).toEqual([]);
  });

  it('recreates the worker and upserts the schedules when a job is overdue', async () => {
    const now = board.startedAtMs + 10_000;
    status.records.set(task.name, record(now - 3001));
    expect(await watchdog.check(now)).toBe('overdue: token-cleanup');
    expect(registered).toBe(1);
    // The new worker gets a full interval plus slack before it is judged again.
    expect(await watchdog.check(now + 2000)).toBeNull();
    expect(await watchdog.check(now + 3001)).toBe('overdue: token-cleanup');
  });

  it('recreates the worker whose blocking connection ended, without re-registering', async () => {
    const now = board.startedAtMs + 10_000;
    status.records.set(task.name, record(now - 100));
    blocking = 'end';
    expect(await watchdog.check(now)).toBe('its blocking connection ended');
    expect(registered).toBe(0);
  });

  it('judges nothing while Redis cannot be read', async () => {
    status.down = true;
    blocking = 'end';
    expect(await watchdog.check(board.startedAtMs + 60_000)).toBeNull();
    expect(recreated).toEqual([]);
  });

  it('counts from process start when no instance ever ran the job', async () => {
    status.records.set(task.name, record(null));
    expect(await watchdog.check(board.startedAtMs + 2999)).toBeNull();
    expect(await watchdog.check(board.startedAtMs + 3001)).toBe('overdue: token-cleanup');
  });
});
