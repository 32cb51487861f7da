import { Logger } from '@nestjs/common';
import type { RedisConfig } from '../config/app-config';
import type { ConnectionState } from './connection-state';
import { createRedisConnection } from './redis-client.factory';
import type { MasterWatch } from './master-watch';
import type { ConnectionObserver, RedisConnection } from './redis-connection';

/** Receives the messages of one pub/sub channel and learns when delivery is interrupted. */
export interface ChannelListener {
  /** A message published on the channel (by any instance, this one included). */
  message(payload: string): void;
  /**
   * `true`: subscribed (again); anything published while not subscribed was missed, so a
   * listener that caches must drop what it holds. `false`: the subscription is lost and no
   * message arrives until the next `true`.
   */
  live(subscribed: boolean): void;
}

const RESUBSCRIBE_RETRY_MS = 1000;

/**
 * One dedicated pub/sub connection (a subscribed connection cannot run other commands),
 * opened on the first `listen` so processes that never listen (the CLI) never open it.
 * Sentinel-aware like the app's clients (same options and backoff): after a failover it
 * follows the new master. ioredis's auto-resubscribe is off: this class subscribes again on
 * every `ready` itself, so it knows when the subscription is live and can tell listeners.
 */
export class RedisSubscriber {
  private readonly logger = new Logger(RedisSubscriber.name);
  private connection?: RedisConnection;
  private readonly listeners = new Map<string, Set<ChannelListener>>();
  private readonly subscribed = new Set<string>();
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly config: RedisConfig,
    private readonly observer?: ConnectionObserver,
    private readonly watch?: MasterWatch,
  ) {}

  /** Starts delivering `channel` to `listener`; returns the function that stops it. */
  listen(channel: string, listener: ChannelListener): () => void {
    const set = this.listeners.get(channel) ?? new Set<ChannelListener>();
    this.listeners.set(channel, set);
    set.add(listener);
    const connection = this.connect();
    if (this.subscribed.has(channel)) listener.live(true);
    else if (connection.isReady()) void this.subscribe(channel);
    return () => {
      set.delete(listener);
      if (set.size > 0) return;
      this.listeners.delete(channel);
      this.subscribed.delete(channel);
      if (connection.isReady()) connection.client.unsubscribe(channel).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.subscribed.clear();
    await this.connection?.close();
  }

  private connect(): RedisConnection {
    if (this.connection) return this.connection;
    const connection = createRedisConnection(this.config, 'subscriber', this.observer, this.watch);
    connection.client.on('message', (channel: string, payload: string) => {
      this.listeners.get(channel)?.forEach((l) => l.message(payload));
    });
    connection.on('state', (state: ConnectionState) => this.onState(state));
    this.connection = connection;
    return connection;
  }

  private onState(state: ConnectionState): void {
    if (state === 'connected') {
      for (const channel of this.listeners.keys()) void this.subscribe(channel);
      return;
    }
    for (const channel of this.subscribed) {
      this.listeners.get(channel)?.forEach((l) => l.live(false));
    }
    this.subscribed.clear();
  }

  private async subscribe(channel: string): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    try {
      await connection.client.subscribe(channel);
    } catch (err) {
      this.logger.warn(`subscribe ${channel} failed: ${(err as Error).message}; retrying`);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        if (connection.isReady()) void this.subscribe(channel);
      }, RESUBSCRIBE_RETRY_MS).unref();
      return;
    }
    if (!this.listeners.has(channel) || this.subscribed.has(channel)) return;
    this.subscribed.add(channel);
    this.listeners.get(channel)?.forEach((l) => l.live(true));
  }
}
