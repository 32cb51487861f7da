import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import Redis, { ChainableCommander, RedisOptions } from 'ioredis';
import { Counter } from 'prom-client';
import { AppConfig, RedisConfig } from '../config/app-config';
import { METRIC } from '../metrics/metric-names';
import { RedisConnection } from './redis-connection';
import { RedisMetricsObserver } from './redis-metrics.observer';
import { buildRedisOptions } from './redis-options';
import { REDIS_AUTH } from './redis.tokens';
import { isRedisOutage, RedisUnavailableException } from './redis-unavailable';
import { defineScripts, readScripts } from './script-loader';

/**
 * Sends exactly one write command (usually a Lua script) to the given target: the auth
 * connection itself (durability off) or a pipeline that WAIT follows (durability on).
 */
export type QueueWrite = (target: Redis | ChainableCommander) => unknown;

/**
 * Options of the dedicated durable-write connection (ARCHITECTURE.md, "Pitfalls"):
 * - `autoResendUnfulfilledCommands: false`: after a reconnect ioredis would otherwise resend
 *   a pending `WAIT` to the NEW master, whose answer says nothing about our write.
 * - `maxRetriesPerRequest: 0`: commands in flight fail at the first disconnect.
 * - `reconnectOnError` on READONLY reconnects without resending (2 would resend).
 * - the command timeout leaves room for WAIT's own timeout.
 */
export function durableConnectionOptions(config: RedisConfig): RedisOptions {
  return {
    ...buildRedisOptions(config, config.authDb, 'durable'),
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
    commandTimeout: config.commandTimeoutMs + config.writeTimeoutMs,
  };
}

/**
 * Runs writes that must survive a failover (codes, tokens, revocations). With
 * REDIS_WRITE_REPLICAS = 0 a write is a plain command on REDIS_AUTH. Otherwise the write and
 * `WAIT n timeout` are pipelined on one dedicated connection, and anything short of "the write
 * succeeded and n replicas acknowledged it, on the same connection incarnation" is a failed
 * write: RedisUnavailableException (503) and the durableWriteFailures metric, never a
 * silently weak token. Redis replication stays asynchronous: WAIT shrinks the loss window on
 * failover, it does not close it (docs/reliability.md).
 */
@Injectable()
export class DurableWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(DurableWriter.name);
  private readonly connection: RedisConnection | null;
  /** Bumped on every (re)connect: a write and its WAIT must share one incarnation. */
  private incarnation = 0;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_AUTH) private readonly auth: Redis,
    observer: RedisMetricsObserver,
    @InjectMetric(METRIC.durableWriteFailures) private readonly failures: Counter<string>,
  ) {
    this.connection = config.redis.writeReplicas > 0 ? this.connect(observer) : null;
  }

  /** Replicas every write must reach (0: durability off). */
  get replicas(): number {
    return this.config.redis.writeReplicas;
  }

  /** False while the dedicated connection (durability on) cannot take writes. */
  isReady(): boolean {
    return this.connection?.isReady() ?? true;
  }

  /** Runs the queued write and returns its reply (command errors are thrown as they are). */
  async write<T>(queue: QueueWrite): Promise<T> {
    if (!this.connection) {
      // A plain command, not a pipeline of its own: auto-pipelining (REDIS_AUTO_PIPELINING)
      // then batches concurrent requests' writes into one socket write, as it does reads.
      return (await queue(this.auth)) as T;
    }
    return this.writeAndWait<T>(queue, this.connection);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
  }

  private async writeAndWait<T>(queue: QueueWrite, connection: RedisConnection): Promise<T> {
    const { writeReplicas, writeTimeoutMs } = this.config.redis;
    if (!connection.isReady()) this.fail(connection, `connection is ${connection.state}`);
    const incarnation = this.incarnation;
    const pipeline = connection.client.pipeline();
    queue(pipeline);
    pipeline.wait(writeReplicas, writeTimeoutMs);
    let replies: Awaited<ReturnType<ChainableCommander['exec']>>;
    try {
      replies = await pipeline.exec();
    } catch (err) {
      return this.fail(connection, (err as Error).message);
    }
    const [[writeError, reply], [waitError, acknowledged]] = replies ?? [[null], [null]];
    if (writeError && !isRedisOutage(writeError)) throw writeError;
    const failure = writeError ?? waitError;
    if (failure) return this.fail(connection, failure.message);
    if (this.incarnation !== incarnation)
      return this.fail(connection, 'reconnected during the write');
    if (Number(acknowledged) < writeReplicas) {
      return this.fail(
        connection,
        `${String(acknowledged)} of ${writeReplicas} replicas acknowledged`,
      );
    }
    return reply as T;
  }

  private fail(connection: RedisConnection, reason: string): never {
    this.failures.inc();
    this.logger.warn(`durable write failed: ${reason}`);
    throw new RedisUnavailableException(
      connection.state,
      'The write could not be confirmed on enough replicas; retry later',
    );
  }

  private connect(observer: RedisMetricsObserver): RedisConnection {
    const client = new Redis(durableConnectionOptions(this.config.redis));
    defineScripts(client, readScripts());
    client.on('ready', () => (this.incarnation += 1));
    return new RedisConnection('durable', client, this.config.redis.startupMaxAttempts, observer);
  }
}
