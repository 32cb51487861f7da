/** What Redis knows about one cleanup job, across every instance. */
export interface JobRecord {
  readonly lastSuccessMs: number | null;
  readonly lastErrorMs: number | null;
  readonly lastError: string | null;
  /** Successful runs, all instances together. */
  readonly runs: number;
  /** When the job's schedule was first registered (it never runs before). */
  readonly registeredMs: number | null;
}

/**
 * The cluster-wide record of the cleanup jobs (keys.jobsStatus): whichever instance runs a
 * tick records it, so every instance's watchdog and /health/dependencies see the same last
 * success. A Redis outage throws RedisUnavailableException.
 */
export abstract class JobStatusStore {
  abstract recordSuccess(job: string, atMs: number): Promise<void>;
  /** `message` is an error message, never data; it is truncated. */
  abstract recordFailure(job: string, atMs: number, message: string): Promise<void>;
  /** Sets the registration time once; later calls leave it. */
  abstract markRegistered(job: string, atMs: number): Promise<void>;
  abstract read(jobs: readonly string[]): Promise<Map<string, JobRecord>>;
}
