import type { Logger } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import type { RedisConfig } from '../config/app-config';
import {
  describeAclDenial,
  describeConnectProblem,
  isAclDenial,
  ProblemLog,
} from '../redis/access-problems';
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
 * An `error` listener for BullMQ's queue or worker: settings problems (a wrong CA or password
 * of the jobs user, a missing ACL permission) are logged at once as errors, once a minute at
 * most; anything else (outages, reconnects) at debug, for the watchdog reports those.
 */
export function jobsErrorListener(
  redis: RedisConfig,
  logger: Logger,
  what: string,
): (err: Error) => void {
  const problems = new ProblemLog(logger);
  const source = {
    sentinelUsername: redis.sentinelUsername,
    ...(redis.jobsUsername
      ? { username: redis.jobsUsername, settings: 'REDIS_JOBS_USERNAME and REDIS_JOBS_PASSWORD' }
      : { username: redis.username, settings: 'REDIS_USERNAME and REDIS_PASSWORD' }),
  };
  return (err: Error) => {
    const line = isAclDenial(err)
      ? describeAclDenial(err)
      : describeConnectProblem(err.message, source);
    if (line) problems.report(`${what}: ${line}`);
    else logger.debug(`${what}: ${err.message}`);
  };
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
