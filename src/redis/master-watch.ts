import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { RedisConfig } from '../config/app-config';
import { describeConnectProblem, ProblemLog } from './access-problems';
import { backoffDelay } from './connection-state';
import { SwitchPolicy, tlsOptions } from './redis-options';

/** Reconnect step while a master switch is fresh: a moved master is up, only elsewhere. */
export const SWITCH_STEP_MS = 100;
/** How long after a switch reconnects use SWITCH_STEP_MS instead of the backoff. */
export const SWITCH_WINDOW_MS = 10_000;

type Address = { host: string; port: number };
const key = (a: Address): string => `${a.host}:${a.port}`;

/**
 * Events of the failover leader about the replica it promotes, `slave <ip:port> <ip> <port> @
 * <name> <old-ip> <old-port>`: when it sends REPLICAOF NO ONE (the promotion itself) and when
 * it sees the replica report role:master (up to one INFO period, 1 s, later).
 */
const PROMOTION_EVENTS = ['+failover-state-send-slaveof-noone', '+promoted-slave'];
const CHANNELS = ['+switch-master', ...PROMOTION_EVENTS];

/**
 * Parses the Sentinel events that announce a new master: PROMOTION_EVENTS (the leader only)
 * and `+switch-master <name> <old-ip> <old-port> <new-ip> <new-port>` (every Sentinel, once
 * it adopts the new configuration: the leader after reconfiguring the replicas, the others up
 * to a second or more later).
 */
export function parseSwitch(
  channel: string,
  message: string,
): { name: string; from: Address; to: Address } | null {
  const f = message.split(' ');
  if (channel === '+switch-master' && f.length === 5) {
    return {
      name: f[0],
      from: { host: f[1], port: Number(f[2]) },
      to: { host: f[3], port: Number(f[4]) },
    };
  }
  if (PROMOTION_EVENTS.includes(channel) && f.length === 8 && f[4] === '@') {
    return {
      name: f[5],
      from: { host: f[6], port: Number(f[7]) },
      to: { host: f[2], port: Number(f[3]) },
    };
  }
  return null;
}

/**
 * Follows master switches on every Sentinel (one subscriber connection each, per process) so
 * the app's clients reach a new master within a few 100 ms steps of the promotion instead of
 * the 1 s, 2 s ... backoff meant for a Redis that is down (issue 12: writes resumed 3 s after a
 * kill even when Sentinel promoted at 1.5 s). On a switch it:
 * - reconnects tracked clients still connected to another address (a frozen old master keeps
 *   its sockets open; redis/ioredis#1314), and cuts short a reconnect backoff in progress;
 * - makes the retry strategy use SWITCH_STEP_MS for SWITCH_WINDOW_MS;
 * - maps the old master's address to the new one (ioredis `natMap`) while that window lasts,
 *   because the Sentinel a client asks may not have adopted the new configuration yet.
 * A late `+switch-master` for the master a client already uses changes nothing: ioredis's own
 * failoverDetector reconnected on every one of them (a second ~1 s outage in 4 of 9 runs).
 */
export class MasterWatch implements SwitchPolicy {
  private readonly logger = new Logger('Redis:master-watch');
  /** A wrong CA or Sentinel password, said once; ioredis's own Sentinel lookups report only
   * "Connection is closed." for them (it discards the cause), these subscribers see it. */
  private readonly problems = new ProblemLog(new Logger('Redis:sentinel'));
  private readonly clients = new Set<Redis>();
  private readonly subscribers: Redis[] = [];
  /** When the last switch (or READONLY) was seen; short reconnect steps for a while after. */
  private switchedAt = -Infinity;
  /** The last switch's old and new master, for `redirect`. */
  private moved: { from: string; to: Address } | null = null;

  constructor(
    private readonly config: RedisConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Subscribes on every Sentinel (Sentinel mode only; never blocks start-up). */
  start(): void {
    if (this.config.mode !== 'sentinel' || this.subscribers.length > 0) return;
    for (const s of this.config.sentinels) {
      const sub = new Redis({
        host: s.host,
        port: s.port,
        username: this.config.sentinelUsername,
        password: this.config.sentinelPassword,
        connectionName: 'tollgate:master-watch',
        tls: tlsOptions(this.config),
        retryStrategy: () => 1000,
        maxRetriesPerRequest: null,
      });
      const source = {
        sentinelUsername: this.config.sentinelUsername,
        settings: 'REDIS_SENTINEL_USERNAME and REDIS_SENTINEL_PASSWORD',
        sentinel: true,
      };
      // Outages are the app's clients to report; settings problems are said here.
      sub.on('error', (err: Error) => {
        const problem = describeConnectProblem(err.message, source);
        if (problem)
          this.problems.report(`cannot connect to ${s.host}:${s.port}: ${problem}`, problem);
      });
      sub.on('ready', () => this.problems.reset());
      sub.on('message', (channel: string, message: string) => this.onMessage(channel, message));
      void sub.subscribe(...CHANNELS).catch(() => undefined);
      this.subscribers.push(sub);
    }
  }

  stop(): void {
    for (const sub of this.subscribers.splice(0)) sub.disconnect();
    this.clients.clear();
  }

  track(client: Redis): void {
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
  }

  /** The retry strategy of every client: short steps while a switch is fresh, else backoff. */
  retryDelay(attempt: number): number {
    if (this.switchIsFresh()) return SWITCH_STEP_MS;
    return backoffDelay(attempt, this.config.retryBaseMs, this.config.retryMaxMs);
  }

  /** ioredis `natMap`: a Sentinel that still names the old master is answered with the new one. */
  redirect(address: string): Address | null {
    return this.switchIsFresh() && this.moved?.from === address ? { ...this.moved.to } : null;
  }

  /** A READONLY reply: the master moved, though no Sentinel message said so yet. */
  noteReadonly(): void {
    this.switchedAt = this.now();
  }

  onMessage(channel: string, message: string): void {
    const event = parseSwitch(channel, message);
    if (!event || event.name !== this.config.masterName) return;
    const to = key(event.to);
    const known = this.switchIsFresh() && this.moved && key(this.moved.to) === to;
    if (!known) this.logger.log(`master switch ${key(event.from)} -> ${to} (${channel})`);
    this.moved = { from: key(event.from), to: event.to };
    this.switchedAt = this.now();
    for (const client of this.clients) this.follow(client, to);
  }

  private follow(client: Redis, master: string): void {
    if (client.status === 'reconnecting') {
      if (cancelReconnectTimer(client)) client.connect().catch(() => undefined);
    } else if (client.status === 'ready' && remoteOf(client) !== master) {
      client.disconnect(true);
    }
  }

  private switchIsFresh(): boolean {
    return this.now() - this.switchedAt < SWITCH_WINDOW_MS;
  }
}

/**
 * Cancels the backoff timer of a reconnecting client so it can be reconnected now. ioredis 6
 * has no public way to do that: the timer is its private `reconnectTimeout`. Left running, it
 * would fire later and reconnect even a client closed in between (seen: a test process that
 * never exited). If a later ioredis renames the field, this returns false and the client waits
 * for its backoff as before.
 */
function cancelReconnectTimer(client: Redis): boolean {
  const internals = client as unknown as { reconnectTimeout?: NodeJS.Timeout | null };
  if (!internals.reconnectTimeout) return false;
  clearTimeout(internals.reconnectTimeout);
  internals.reconnectTimeout = null;
  return true;
}

/** `ip:port` of the client's socket; IPv4-mapped IPv6 written as IPv4. */
function remoteOf(client: Redis): string | null {
  const stream = (client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } })
    .stream;
  if (!stream?.remoteAddress) return null;
  return `${stream.remoteAddress.replace(/^::ffff:/, '')}:${stream.remotePort}`;
}
