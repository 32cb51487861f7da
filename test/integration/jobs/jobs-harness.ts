/** Helpers for the cleanup-job tests: short schedules, and counting ticks from run events. */
import { JobRunEvent, JobRunner } from '../../../src/jobs/job-runner';
import { RunningApp } from '../../support/test-app';

/** Every job every second, judged by the watchdog every 500 ms with 2 s of slack. */
export const FAST_JOBS: Record<string, string> = {
  JOBS_TOKEN_CLEANUP_EVERY_MS: '1000',
  JOBS_SESSION_CLEANUP_EVERY_MS: '1000',
  JOBS_CACHE_CLEANUP_EVERY_MS: '1000',
  JOBS_WATCHDOG_INTERVAL_MS: '500',
  JOBS_WATCHDOG_SLACK_MS: '2000',
};

export const ADMIN_TOKEN = 'jobs-admin-token-0123456789abcdef0123456789';
export const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

/** Records every successful run of `apps`, tagged with the instance that ran it. */
export function recordRuns(
  apps: RunningApp[],
): Array<JobRunEvent & { instance: number; at: number }> {
  const runs: Array<JobRunEvent & { instance: number; at: number }> = [];
  apps.forEach((running, instance) => {
    running.app
      .get(JobRunner)
      .on('run', (event: JobRunEvent) => runs.push({ ...event, instance, at: Date.now() }));
  });
  return runs;
}

/** The scheduled time of a tick, from its BullMQ job id `repeat:<scheduler>:<millis>`. */
export const tickOf = (jobId: string): number => Number(jobId.split(':').pop());

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
