import type { JobScheduleConfig } from '../config/app-config';

/**
 * One cleanup job: a feature module's bounded clean-up step that the jobs module schedules
 * (one BullMQ job scheduler per task, named after it) and watches. To add one (e.g. the
 * service cache's `cleanupExpired(batch)`), write a small class implementing this beside the
 * others in tasks/ and list it in the CLEANUP_TASKS factory of jobs.module.ts; nothing else in
 * the jobs module changes.
 */
export interface CleanupTask {
  /** Job scheduler id, job name and the `job_name` metric label, e.g. `token-cleanup`. */
  readonly name: string;
  readonly schedule: JobScheduleConfig;
  /**
   * One run: removes what has expired, in steps of at most `batch` items, with bounded total
   * work; returns how many items it removed. Throws on a Redis outage (the run fails and
   * the next tick tries again).
   */
  run(batch: number): Promise<number>;
}

/**
 * Calls `step(batch)` (a store's bounded clean-up that returns how many items it removed)
 * until it removes fewer than `batch` or `maxSteps` calls were made; returns the total.
 */
export async function drainInSteps(
  step: (batch: number) => Promise<number>,
  batch: number,
  maxSteps: number,
): Promise<number> {
  let removed = 0;
  for (let i = 0; i < maxSteps; i++) {
    const drained = await step(batch);
    removed += drained;
    if (drained < batch) break;
  }
  return removed;
}

/** Injection token: the CleanupTask[] the jobs module schedules. */
export const CLEANUP_TASKS = Symbol('CLEANUP_TASKS');

/** The one BullMQ queue of the cleanup jobs. */
export const CLEANUP_QUEUE = 'cleanup';
