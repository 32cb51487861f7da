import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys } from '../redis/keys';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { storageCall } from '../redis/redis-unavailable';
import { JobRecord, JobStatusStore } from './job-status.store';

const MAX_ERROR_LENGTH = 300;

const num = (value: string | undefined): number | null =>
  value === undefined || value === '' ? null : Number(value);

/** JobStatusStore in one hash of the auth DB, fields `<job>:<what>` (keys.jobsStatus). */
@Injectable()
export class RedisJobStatusStore extends JobStatusStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  recordSuccess(job: string, atMs: number): Promise<void> {
    return storageCall(async () => {
      await this.redis
        .multi()
        .hset(keys.jobsStatus(), `${job}:last_success_ms`, atMs)
        .hincrby(keys.jobsStatus(), `${job}:runs`, 1)
        .exec();
    });
  }

  recordFailure(job: string, atMs: number, message: string): Promise<void> {
    return storageCall(async () => {
      await this.redis.hset(keys.jobsStatus(), {
        [`${job}:last_error_ms`]: atMs,
        [`${job}:last_error`]: message.slice(0, MAX_ERROR_LENGTH),
      });
    });
  }

  markRegistered(job: string, atMs: number): Promise<void> {
    return storageCall(async () => {
      await this.redis.hsetnx(keys.jobsStatus(), `${job}:registered_ms`, atMs);
    });
  }

  read(jobs: readonly string[]): Promise<Map<string, JobRecord>> {
    return storageCall(async () => {
      const raw = await this.redis.hgetall(keys.jobsStatus());
      return new Map(
        jobs.map((job) => [
          job,
          {
            lastSuccessMs: num(raw[`${job}:last_success_ms`]),
            lastErrorMs: num(raw[`${job}:last_error_ms`]),
            lastError: raw[`${job}:last_error`] ?? null,
            runs: num(raw[`${job}:runs`]) ?? 0,
            registeredMs: num(raw[`${job}:registered_ms`]),
          },
        ]),
      );
    });
  }
}
