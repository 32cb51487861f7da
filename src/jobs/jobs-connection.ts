import type { ConnectionOptions } from 'bullmq';
import type { RedisConfig } from '../config/app-config';
import { buildJobsRedisOptions, EndingClient, releaseDetectorOnEnd } from '../redis/redis-options';

/**
 * BullMQ connection options for the queue or a worker: its own ioredis clients (BullMQ
 * creates them from these options), never the app's. The cast only bridges types: ioredis's
 * RedisOptions is an interface, which TypeScript will not match to BullMQ's index signature.
 */
export function jobsConnection(redis: RedisConfig, role: 'queue' | 'worker'): ConnectionOptions {
  return buildJobsRedisOptions(redis, role) as ConnectionOptions;
}

/**
 * BullMQ's clients use ioredis's failover detector (no MasterWatch can track clients BullMQ
 * creates), and BullMQ closes them with `quit()`, which leaves the detector's Sentinel
 * subscriptions open (releaseDetectorOnEnd). Each promise is one of BullMQ's clients; one that
 * never connects is closed with `disconnect()` by BullMQ and needs nothing.
 */
export function releaseDetectors(...clients: (Promise<unknown> | undefined)[]): void {
  for (const client of clients) {
    client?.then((c) => releaseDetectorOnEnd(c as EndingClient)).catch(() => undefined);
  }
}
