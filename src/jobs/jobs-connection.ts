import type { ConnectionOptions } from 'bullmq';
import type { RedisConfig } from '../config/app-config';
import { buildJobsRedisOptions } from '../redis/redis-options';

/**
 * BullMQ connection options for the queue or a worker: its own ioredis clients (BullMQ
 * creates them from these options), never the app's. The cast only bridges types: ioredis's
 * RedisOptions is an interface, which TypeScript will not match to BullMQ's index signature.
 */
export function jobsConnection(redis: RedisConfig, role: 'queue' | 'worker'): ConnectionOptions {
  return buildJobsRedisOptions(redis, role) as ConnectionOptions;
}
