import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/app-config';
import { backoffDelay } from './connection-state';
import { guardTlsSocketErrors } from './tls-error-guard';

/**
 * ioredis options for one logical DB, standalone or Sentinel. The choices that matter
 * for failover (ARCHITECTURE.md, "Pitfalls"):
 * - a MasterWatch (master-watch.ts, the app's clients): follows `+switch-master` on every
 *   Sentinel, also when the old master hangs instead of closing its sockets
 *   (redis/ioredis#1314), and reconnects in 100 ms steps after a switch instead of the
 *   backoff. Without one (CLI, harness), ioredis's `failoverDetector: true` does the former.
 * - `reconnectOnError` on READONLY: we were talking to a demoted master; reconnect so
 *   Sentinel hands us the new one, and resend the command there.
 * - `socketTimeout` (socketTimeoutFor): a socket that answers nothing while commands wait is
 *   closed a little before their command timeout fires. Auto-pipelining holds back the
 *   commands issued while a batch is in flight until that batch settles; if the socket were
 *   still open then, they would be written to a frozen master and wait a second timeout (issue
 *   12: ~2x REDIS_COMMAND_TIMEOUT_MS). With the socket closed first, they fail at once (no
 *   offline queue) and every request is answered within one command timeout.
 * - `enableOfflineQueue: false`: while disconnected, commands fail at once and the
 *   request gets a 503 instead of hanging until a timeout.
 * - `enableAutoPipelining` (REDIS_AUTO_PIPELINING, default on): commands issued in the same
 *   event-loop tick (by concurrent requests) go out as one pipeline, one socket write
 *   instead of one per command. The server is CPU-bound and a profile put ~14 % of its CPU
 *   in those writes; measured in docs/benchmarks.md ("Changes measured"): about 10-15 % less
 *   server CPU per token and per introspection. Replies, errors, timeouts and the offline
 *   behaviour above stay per command. Never on the durable-write connection: it already
 *   pipelines a write with its `WAIT` explicitly and keeps its own resend rules.
 */
/** TLS options for Redis and Sentinel connections (REDIS_TLS, REDIS_TLS_CA_FILE), or none. */
/** TLS for a `rediss:` URL without REDIS_TLS: the system CAs. */
function rediss(): { ca?: Buffer } {
  guardTlsSocketErrors();
  return {};
}

export function tlsOptions(config: RedisConfig): { ca?: Buffer } | undefined {
  if (!config.tls) return undefined;
  guardTlsSocketErrors();
  return { ca: config.tlsCaFile ? readFileSync(config.tlsCaFile) : undefined };
}

/** The part of an ioredis client releaseDetectorOnEnd needs (BullMQ's clients included). */
export interface EndingClient {
  on(event: 'end', listener: () => void): unknown;
  disconnect(reconnect?: boolean): void;
}

/**
 * ioredis 6.0.0's `quit()` leaves the Sentinel subscriptions of `failoverDetector: true` open
 * (redis/ioredis#1362, fixed upstream by #2198, not in 6.0.0): once the Sentinels are gone
 * they reconnect every 60 s for ever and the process never exits (issue 12: the chaos spec's
 * jest process). `disconnect()` runs the detector's cleanup, so every client that may carry a
 * detector calls it on `end`. With `reconnect = true`: an ended client has no socket left to
 * reconnect, and the flag keeps ioredis from marking the client as closed on purpose, which
 * would make it give up at the first drop if BullMQ connects it again later.
 */
export function releaseDetectorOnEnd(client: EndingClient): void {
  client.on('end', () => client.disconnect(true));
}

/** What the options need from a MasterWatch (master-watch.ts), without importing it. */
export interface SwitchPolicy {
  retryDelay(attempt: number): number;
  redirect(address: string): { host: string; port: number } | null;
  noteReadonly(): void;
}

/**
 * Clients whose every command should answer within the command timeout. Never a connection
 * that runs blocking commands (BullMQ's BZPOPMIN, a subscriber waiting for messages): a
 * socket timeout would cut them off.
 */
const SOCKET_TIMEOUT_CLIENTS = new Set(['auth', 'cache', 'durable']);

/** 90 % of the command timeout: the earlier timer must be the socket's (see above). */
export function socketTimeoutFor(commandTimeoutMs: number): number {
  return Math.max(1, Math.floor(commandTimeoutMs * 0.9));
}

export function buildRedisOptions(
  config: RedisConfig,
  db: number,
  name: string,
  watch?: SwitchPolicy,
): RedisOptions {
  const retryStrategy = (attempt: number) =>
    watch
      ? watch.retryDelay(attempt)
      : backoffDelay(attempt, config.retryBaseMs, config.retryMaxMs);
  const tls = tlsOptions(config);
  const common: RedisOptions = {
    db,
    connectionName: `tollgate:${name}`,
    username: config.username,
    password: config.password,
    connectTimeout: config.connectTimeoutMs,
    commandTimeout: config.commandTimeoutMs,
    socketTimeout: SOCKET_TIMEOUT_CLIENTS.has(name)
      ? socketTimeoutFor(config.commandTimeoutMs)
      : undefined,
    enableOfflineQueue: false,
    // After QUIT the socket closes at once; this only bounds a peer that never closes it
    // (ioredis's 2 s default keeps a shutting-down process alive that long).
    disconnectTimeout: 200,
    maxRetriesPerRequest: 1,
    retryStrategy,
    reconnectOnError: (err) => {
      if (!err.message.startsWith('READONLY')) return false;
      watch?.noteReadonly();
      return 2;
    },
    tls,
    enableAutoPipelining: config.autoPipelining && name !== 'durable',
  };
  if (config.mode === 'standalone') {
    const url = new URL(config.url);
    return {
      ...common,
      host: url.hostname,
      port: Number(url.port || 6379),
      username: config.username ?? (decodeURIComponent(url.username) || undefined),
      password: config.password ?? (decodeURIComponent(url.password) || undefined),
      tls: url.protocol === 'rediss:' ? (tls ?? rediss()) : tls,
    };
  }
  return {
    ...common,
    sentinels: config.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: config.masterName,
    role: 'master',
    sentinelUsername: config.sentinelUsername,
    sentinelPassword: config.sentinelPassword,
    sentinelRetryStrategy: (attempt: number) =>
      backoffDelay(attempt, config.retryBaseMs, config.retryMaxMs),
    enableTLSForSentinelMode: config.tls,
    sentinelTLS: tls,
    failoverDetector: !watch,
    natMap: watch ? (address: string) => watch.redirect(address) : undefined,
  };
}

/**
 * ioredis options for BullMQ's own connections (src/jobs): the auth DB's server, Sentinel
 * and failover handling as above, with what BullMQ needs changed:
 * - `maxRetriesPerRequest: null`: BullMQ requires it (its blocking BZPOPMIN must wait out a
 *   reconnect instead of failing after one retry).
 * - no `commandTimeout` on the worker: BZPOPMIN blocks for up to 10 s by design.
 * - ioredis's offline queue stays on: a reconnect resumes the worker's loop, and BullMQ's
 *   close (QUIT) of a connection that is down does not reject unhandled. Nothing waits on
 *   these connections in a request: the registrar bounds each attempt with a timeout.
 * - no auto-pipelining and no `keyPrefix` (BullMQ's own `prefix` option names its keys).
 * - its own ACL user when REDIS_JOBS_USERNAME is set (docs/security.md, "Redis TLS and ACL
 *   users"): BullMQ's keys and commands differ from the app's.
 */
export function buildJobsRedisOptions(config: RedisConfig, role: 'queue' | 'worker'): RedisOptions {
  const { commandTimeout, ...base } = buildRedisOptions(config, config.authDb, `jobs-${role}`);
  const user = config.jobsUsername
    ? { username: config.jobsUsername, password: config.jobsPassword }
    : {};
  return {
    ...base,
    ...user,
    ...(role === 'queue' ? { commandTimeout } : {}),
    // Not `tollgate:*`: those name the app's own clients (the shutdown test counts them).
    connectionName: `tollgate-jobs:${role}`,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    enableAutoPipelining: false,
  };
}
