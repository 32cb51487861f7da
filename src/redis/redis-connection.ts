import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { describeConnectProblem, ProblemLog } from './access-problems';
import { ConnectionSnapshot, ConnectionState } from './connection-state';
import { releaseDetectorOnEnd } from './redis-options';

const QUIT_TIMEOUT_MS = 2000;
/** Where the app's clients (auth, cache, subscriber, durable) get their ACL user from. */
const CREDENTIAL_SETTINGS = 'REDIS_USERNAME and REDIS_PASSWORD';

export interface ConnectionObserver {
  onState(name: string, state: ConnectionState): void;
  onReconnect(name: string): void;
}

/**
 * Wraps one ioredis client and turns its status events into our four states, with
 * retry count, last error and uptime. Emits `state` (next, previous) on every change.
 * It never blocks start-up: ioredis connects in the background and retries forever.
 */
export class RedisConnection extends EventEmitter {
  private readonly logger: Logger;
  private current: ConnectionState = 'disconnected';
  private retries = 0;
  private reconnects = 0;
  private everConnected = false;
  private degraded = false;
  private lastError: string | null = null;
  private lastErrorAt: Date | null = null;
  private readySince: number | null = null;
  private closing = false;
  /** A wrong CA or password is said at once (access-problems.ts), not after the attempts. */
  private readonly problems: ProblemLog;
  /** The last settings problem (wrong CA, refused login) since the last `ready`. */
  private settingsProblem: string | null = null;

  constructor(
    readonly name: string,
    readonly client: Redis,
    private readonly startupMaxAttempts: number,
    private readonly observer?: ConnectionObserver,
  ) {
    super();
    this.logger = new Logger(`Redis:${name}`);
    this.problems = new ProblemLog(this.logger);
    this.wire();
    this.setState(client.status === 'ready' ? 'connected' : 'connecting');
  }

  get state(): ConnectionState {
    return this.current;
  }

  isReady(): boolean {
    return this.current === 'connected' && this.client.status === 'ready';
  }

  /**
   * Why connecting fails when retrying will not help (a CA that does not trust the server, a
   * refused login: access-problems.ts), or null. The CLI stops on it instead of waiting.
   */
  problem(): string | null {
    return this.settingsProblem;
  }

  snapshot(): ConnectionSnapshot {
    return {
      name: this.name,
      state: this.current,
      retries: this.retries,
      reconnects: this.reconnects,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt?.toISOString() ?? null,
      uptimeSeconds: this.readySince === null ? null : (Date.now() - this.readySince) / 1000,
      degraded: this.degraded,
    };
  }

  /** Quits cleanly (QUIT lets in-flight replies arrive); falls back to disconnect. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.client.status === 'end') return this.setState('disconnected');
    // A Redis that does not answer QUIT within 2 s gets its socket closed instead; the
    // timer is cleared either way so it cannot hold the process open after shutdown.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('quit timeout')), QUIT_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.client.quit(), timeout]);
    } catch {
      this.client.disconnect(false);
    } finally {
      clearTimeout(timer);
    }
    this.setState('disconnected');
  }

  private wire(): void {
    const c = this.client;
    // Clients without a MasterWatch (a cache on its own Sentinel, the CLI) use failoverDetector.
    releaseDetectorOnEnd(c);
    c.on('connect', () => this.setState('connecting'));
    c.on('ready', () => {
      if (this.degraded) this.logger.log('Redis reachable again; leaving degraded mode');
      this.retries = 0;
      this.problems.reset();
      this.settingsProblem = null;
      this.everConnected = true;
      this.degraded = false;
      this.readySince = Date.now();
      this.setState('connected');
    });
    c.on('error', (err: Error) => this.noteError(err.message));
    c.on('close', () => {
      this.readySince = null;
      if (!this.closing && this.current === 'connected')
        this.noteError('connection closed by peer');
      if (!this.closing && this.current !== 'failed') this.setState('failed');
    });
    c.on('reconnecting', (delayMs: number) => {
      this.retries += 1;
      this.reconnects += 1;
      this.observer?.onReconnect(this.name);
      this.setState('failed');
      this.noteStartupExhaustion(delayMs);
    });
    c.on('end', () => this.setState(this.closing ? 'disconnected' : 'failed'));
  }

  private noteError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = new Date();
    const { username, sentinelUsername } = this.client.options ?? {};
    const source = { username, sentinelUsername, settings: CREDENTIAL_SETTINGS };
    const problem = describeConnectProblem(message, source);
    if (problem) this.problems.report(`cannot connect: ${problem}`);
    if (problem) this.settingsProblem = problem;
  }

  private noteStartupExhaustion(delayMs: number): void {
    if (this.everConnected || this.degraded || this.retries < this.startupMaxAttempts) return;
    this.degraded = true;
    this.logger.error(
      `Redis unreachable after ${this.retries} start-up attempts (${this.lastError ?? 'no error'}); ` +
        `running degraded and retrying every ${delayMs} ms`,
    );
  }

  private setState(next: ConnectionState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.observer?.onState(this.name, next);
    if (next === 'connected' || previous === 'connected') {
      this.logger.log(`state ${previous} -> ${next}`);
    }
    this.emit('state', next, previous);
  }
}
