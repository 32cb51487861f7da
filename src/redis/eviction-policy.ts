import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisConnection } from './redis-connection';
import { REDIS_AUTH_CONNECTION, REDIS_CACHE_CONNECTION } from './redis.tokens';

/**
 * What one server's `maxmemory-policy` means for us. Anything but `noeviction` lets Redis
 * delete keys under memory pressure: tokens, clients, sessions and BullMQ jobs would vanish
 * silently (one policy covers every DB of an instance). The cache bounds itself with its own
 * per-service LRU limit instead (ARCHITECTURE.md, "Pitfalls").
 */
export type EvictionPolicy =
  | { readonly status: 'ok'; readonly policy: 'noeviction' }
  | { readonly status: 'evicting'; readonly policy: string; readonly warning: string }
  | { readonly status: 'unknown'; readonly policy: null; readonly warning: string };

/** Reads `CONFIG GET maxmemory-policy`; an ACL that forbids CONFIG is reported, not thrown. */
export async function readEvictionPolicy(client: Redis, name: string): Promise<EvictionPolicy> {
  let policy: string | undefined;
  try {
    const reply = (await client.config('GET', 'maxmemory-policy')) as unknown as string[];
    policy = reply[1];
  } catch (err) {
    const message = (err as Error).message;
    if (!/NOPERM|unknown command|not allowed/i.test(message)) throw err;
    return {
      status: 'unknown',
      policy: null,
      warning:
        `cannot read maxmemory-policy of the ${name} Redis: CONFIG GET is not allowed for ` +
        `this user (${message}); make sure the server runs with maxmemory-policy noeviction`,
    };
  }
  if (policy === 'noeviction') return { status: 'ok', policy };
  return {
    status: 'evicting',
    policy: policy ?? 'unknown',
    warning:
      `the ${name} Redis runs maxmemory-policy ${policy ?? '(none reported)'}: under memory ` +
      'pressure it deletes keys (tokens, clients, sessions, jobs) without telling anyone; ' +
      'set maxmemory-policy noeviction (docs/runbook.md, TollgateRedisEvictionPolicy)',
  };
}

/**
 * Checks each client's server at start-up and again after every reconnect (a failover may
 * land on a node configured differently), and logs anything but `noeviction` as an error.
 * Start-up never waits for it: the check runs when a connection becomes ready.
 * /health/dependencies reads the policy live (RedisInspector).
 */
@Injectable()
export class EvictionPolicyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Redis:maxmemory-policy');

  constructor(
    @Inject(REDIS_AUTH_CONNECTION) private readonly auth: RedisConnection,
    @Inject(REDIS_CACHE_CONNECTION) private readonly cache: RedisConnection,
  ) {}

  onApplicationBootstrap(): void {
    for (const conn of [this.auth, this.cache]) {
      conn.on('state', (next: string) => {
        if (next === 'connected') void this.check(conn);
      });
      if (conn.isReady()) void this.check(conn);
    }
  }

  /** Logs the verdict for one connection; returns it (tests). */
  async check(conn: RedisConnection): Promise<EvictionPolicy | null> {
    try {
      const verdict = await readEvictionPolicy(conn.client, conn.name);
      if (verdict.status === 'evicting') this.logger.error(verdict.warning);
      if (verdict.status === 'unknown') this.logger.warn(verdict.warning);
      return verdict;
    } catch (err) {
      // The connection dropped again: the next `connected` checks again.
      this.logger.debug(`maxmemory-policy check failed: ${(err as Error).message}`);
      return null;
    }
  }
}
