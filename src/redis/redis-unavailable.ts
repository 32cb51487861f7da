import { HttpException, HttpStatus } from '@nestjs/common';
import { isAclDenial, reportAclDenial } from './access-problems';
import type { ConnectionState } from './connection-state';

/** Seconds a client should wait before retrying while Redis is down. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Thrown when a request needs Redis and Redis cannot serve it (down, failing over,
 * timing out, or a durable write that too few replicas acknowledged). Rendered as
 * 503 + Retry-After, never a 500. The body follows RFC 6749 section 5.2 so OAuth
 * clients understand it (`temporarily_unavailable`, RFC 6749 section 4.1.2.1).
 */
export class RedisUnavailableException extends HttpException {
  constructor(
    readonly connectionState: ConnectionState | 'unknown',
    description = 'The authorization server storage is unavailable; retry later',
  ) {
    super(
      {
        error: 'temporarily_unavailable',
        error_description: description,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

const OUTAGE_MESSAGES = [
  "Stream isn't writeable",
  'Connection is closed',
  'Command timed out',
  'max retries per request',
  'connect ECONNREFUSED',
  'connect ETIMEDOUT',
  'All sentinels are unreachable',
  'READONLY',
  'LOADING',
  'MASTERDOWN',
  'NOREPLICAS',
  'CLUSTERDOWN',
  'TRYAGAIN',
];

/** True for errors that mean "Redis cannot answer now", as opposed to a bug. */
export function isRedisOutage(err: unknown): boolean {
  if (err instanceof RedisUnavailableException) return true;
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  const msg = err.message.toLowerCase();
  return OUTAGE_MESSAGES.some((m) => msg.includes(m.toLowerCase()));
}

/**
 * The one place Redis failures are classified: every store runs its Redis calls through
 * this, so a Redis outage leaves the store as RedisUnavailableException (503 + Retry-After)
 * and nothing above the stores matches error messages. Other errors pass unchanged.
 * `description` names the storage for stores not on the auth DB (the service cache).
 * An ACL denial (NOPERM: the Redis user lacks a command or key pattern) is a settings problem,
 * not a bug in the request: it is logged once with what was denied, and answered 503 as well.
 */
export async function storageCall<T>(
  operation: () => Promise<T>,
  description?: string,
): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof RedisUnavailableException) throw err;
    if (isAclDenial(err)) reportAclDenial(err as Error);
    else if (!isRedisOutage(err)) throw err;
    throw new RedisUnavailableException('unknown', description);
  }
}
