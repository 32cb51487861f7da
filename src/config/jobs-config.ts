import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min, validateSync, ValidationError } from 'class-validator';
import { toBool, toInt } from './env-transforms';

/** One cleanup job's schedule: how often it runs and how much one step may remove. */
export interface JobScheduleConfig {
  readonly everyMs: number;
  readonly batch: number;
}

/** BullMQ cleanup jobs (src/jobs, docs/jobs.md). */
export interface JobsConfig {
  readonly enabled: boolean;
  readonly tokenCleanup: JobScheduleConfig;
  readonly sessionIndexCleanup: JobScheduleConfig;
  /** Used once the cache module contributes its cleanup task. */
  readonly cacheCleanup: JobScheduleConfig;
  /** How often each instance checks that its worker is alive and ticks are not overdue. */
  readonly watchdogIntervalMs: number;
  /** A job is overdue when its last success is older than its interval plus this. */
  readonly watchdogSlackMs: number;
}

const EVERY = { message: 'must be an integer number of milliseconds >= 1000' };
const BATCH = { message: 'must be an integer from 1 to 1000' };

/**
 * The JOBS_* variables, validated beside Environment (load-config.ts) and kept in their own
 * class so the jobs settings change in one file. Batches stop at 1000: a step unpacks its
 * batch into one Redis call (Lua's unpack limit).
 */
export class JobsEnvironment {
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  JOBS_ENABLED = true;

  @Transform(toInt) @IsInt(EVERY) @Min(1000, EVERY) JOBS_TOKEN_CLEANUP_EVERY_MS = 300_000;
  @Transform(toInt) @IsInt(BATCH) @Min(1, BATCH) @Max(1000, BATCH) JOBS_TOKEN_CLEANUP_BATCH = 500;
  @Transform(toInt) @IsInt(EVERY) @Min(1000, EVERY) JOBS_SESSION_CLEANUP_EVERY_MS = 600_000;
  @Transform(toInt) @IsInt(BATCH) @Min(1, BATCH) @Max(1000, BATCH) JOBS_SESSION_CLEANUP_BATCH = 500;
  @Transform(toInt) @IsInt(EVERY) @Min(1000, EVERY) JOBS_CACHE_CLEANUP_EVERY_MS = 600_000;
  @Transform(toInt) @IsInt(BATCH) @Min(1, BATCH) @Max(1000, BATCH) JOBS_CACHE_CLEANUP_BATCH = 200;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds >= 100' })
  @Min(100, { message: 'must be an integer number of milliseconds >= 100' })
  JOBS_WATCHDOG_INTERVAL_MS = 30_000;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer number of milliseconds >= 0' })
  @Min(0, { message: 'must be an integer number of milliseconds >= 0' })
  JOBS_WATCHDOG_SLACK_MS = 60_000;
}

/** The validation errors of the JOBS_* variables, and the settings they give. */
export function readJobsConfig(parsed: JobsEnvironment): {
  errors: ValidationError[];
  jobs: JobsConfig;
} {
  const errors = validateSync(parsed, { forbidUnknownValues: false });
  const jobs: JobsConfig = {
    enabled: parsed.JOBS_ENABLED,
    tokenCleanup: {
      everyMs: parsed.JOBS_TOKEN_CLEANUP_EVERY_MS,
      batch: parsed.JOBS_TOKEN_CLEANUP_BATCH,
    },
    sessionIndexCleanup: {
      everyMs: parsed.JOBS_SESSION_CLEANUP_EVERY_MS,
      batch: parsed.JOBS_SESSION_CLEANUP_BATCH,
    },
    cacheCleanup: {
      everyMs: parsed.JOBS_CACHE_CLEANUP_EVERY_MS,
      batch: parsed.JOBS_CACHE_CLEANUP_BATCH,
    },
    watchdogIntervalMs: parsed.JOBS_WATCHDOG_INTERVAL_MS,
    watchdogSlackMs: parsed.JOBS_WATCHDOG_SLACK_MS,
  };
  return { errors, jobs };
}
