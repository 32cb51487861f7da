import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import Redis, { RedisOptions } from 'ioredis';
import { Counter, Gauge, Histogram } from 'prom-client';
import { AppConfig, RedisConfig } from '../config/app-config';
import { METRIC } from '../metrics/metric-names';
import { DurabilityMonitor, DurabilityReport } from './durability-monitor';
import { DurabilityShortfall, GroupCommit, QueueWrite, WriteChannel } from './group-commit';
import { MasterWatch } from './master-watch';
import { RedisConnection } from './redis-connection';
import { RedisMetricsObserver } from './redis-metrics.observer';
import { buildRedisOptions, socketTimeoutFor } from './redis-options';
import { REDIS_AUTH } from './redis.tokens';
import { RedisUnavailableException } from './redis-unavailable';
import { defineScripts, readScripts } from './script-loader';

export type { QueueWrite } from './group-commit';

/**
 * Options of the dedicated durable-write connection (ARCHITECTURE.md, "Pitfalls"):
 * - `autoResendUnfulfilledCommands: false`: after a reconnect ioredis would otherwise resend
 *   a pending `WAIT` to the NEW master, whose answer says nothing about our write.
 * - `maxRetriesPerRequest: 0`: commands in flight fail at the first disconnect.
 * - `reconnectOnError` on READONLY reconnects without resending (2 would resend).
 * - the command and socket timeouts leave room for WAIT's own timeout.
 */
export function durableConnectionOptions(config: RedisConfig, watch?: MasterWatch): RedisOptions {
  return {
    ...buildRedisOptions(config, config.authDb, 'durable', watch),
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
    commandTimeout: config.commandTimeoutMs + config.writeTimeoutMs,
    socketTimeout: socketTimeoutFor(config.commandTimeoutMs + config.writeTimeoutMs),
  };
}

/**
 * Runs writes that must survive a failover (codes, tokens, revocations). With
 * REDIS_WRITE_REPLICAS = 0 a write is a plain command on REDIS_AUTH. Otherwise writes go through
 * a group commit (group-commit.ts) on one dedicated connection: concurrent writes share one
 * `WAIT n timeout`, and anything short of "the write succeeded and n replicas acknowledged it,
 * on the same connection incarnation" is a failed write: RedisUnavailableException (503) and
 * the durableWriteFailures metric, never a silently weak token. When too few replicas can
 * acknowledge (DurabilityMonitor), writes fail at once without waiting for a WAIT. Redis
 * replication stays asynchronous: WAIT shrinks the loss window on failover, it does not close
 * it (docs/reliability.md).
 */
@Injectable()
export class DurableWriter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DurableWriter.name);
  private readonly connection: RedisConnection | null;
  private readonly monitor: DurabilityMonitor;
  private readonly commits: GroupCommit | null;
  /** Bumped on every (re)connect: a write and its WAIT must share one incarnation. */
  private incarnation = 0;
  /** Last logged durability state (noteChange). */
  private refusing = false;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_AUTH) private readonly auth: Redis,
    observer: RedisMetricsObserver,
    watch: MasterWatch,
    @InjectMetric(METRIC.durableWriteFailures) private readonly failures: Counter<string>,
    @InjectMetric(METRIC.durableWriteRefusals) private readonly refusals: Counter<string>,
    @InjectMetric(METRIC.durabilitySatisfiable) satisfiable: Gauge<string>,
    @InjectMetric(METRIC.durableWriteBatch) batches: Histogram<string>,
  ) {
    const { writeReplicas, writeTimeoutMs } = config.redis;
    this.monitor = new DurabilityMonitor(writeReplicas, auth, (r) => {
      satisfiable.set(r.satisfiable ? 1 : 0);
      this.noteChange(r);
    });
    satisfiable.set(writeReplicas === 0 ? 1 : 0);
    this.connection = writeReplicas > 0 ? this.connect(observer, watch) : null;
    this.commits = this.connection
      ? new GroupCommit(this.channel(this.connection), {
          replicas: writeReplicas,
          timeoutMs: writeTimeoutMs,
          refusal: () => this.refusal(),
          onWait: (n) => this.monitor.noteWait(n),
          onBatch: (size) => batches.observe(size),
        })
      : null;
  }

  /** Replicas every write must reach (0: durability off). */
  get replicas(): number {
    return this.config.redis.writeReplicas;
  }

  /** False while the dedicated connection (durability on) cannot take writes. */
  isReady(): boolean {
    return this.connection?.isReady() ?? true;
  }

  /** For /health/dependencies: required replicas, how many can acknowledge, satisfiable. */
  durability(): DurabilityReport {
    return this.monitor.report();
  }

  /** The monitor, for tests that must not wait for its next probe. */
  get durabilityMonitor(): DurabilityMonitor {
    return this.monitor;
  }

  onModuleInit(): void {
    this.monitor.start();
  }

  /** Runs the queued write and returns its reply (command errors are thrown as they are). */
  async write<T>(queue: QueueWrite): Promise<T> {
    if (!this.commits) {
      // A plain command, not a pipeline of its own: auto-pipelining (REDIS_AUTO_PIPELINING)
      // then batches concurrent requests' writes into one socket write, as it does reads.
      return (await queue(this.auth)) as T;
    }
    if (this.refusal()) {
      // Not logged per request (a refusal flood would flood the log): noteChange logs when
      // durability becomes unsatisfiable and when it recovers.
      this.refusals.inc();
      this.failures.inc();
      throw this.unavailable();
    }
    try {
      return await this.commits.submit<T>(queue);
    } catch (err) {
      if (err instanceof DurabilityShortfall) return this.fail(err.message);
      throw err;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.monitor.stop();
    await this.connection?.close();
  }

  private refusal(): string | null {
    const connection = this.connection;
    if (connection && !connection.isReady()) return `connection is ${connection.state}`;
    return this.monitor.refusal();
  }

  private fail(reason: string): never {
    this.failures.inc();
    this.logger.warn(`durable write failed: ${reason}`);
    throw this.unavailable();
  }

  private unavailable(): RedisUnavailableException {
    return new RedisUnavailableException(
      this.connection?.state ?? 'unknown',
      'The write could not be confirmed on enough replicas; retry later',
    );
  }

  /** Logs when durable writes become refused or unconfirmable, and when they recover. */
  private noteChange(report: DurabilityReport): void {
    const refusing = report.reason !== null;
    if (refusing === this.refusing) return;
    this.refusing = refusing;
    if (refusing) this.logger.warn(`durable writes cannot be confirmed: ${report.reason}`);
    else this.logger.log('durable writes can be confirmed again');
  }

  private channel(connection: RedisConnection): WriteChannel {
    return {
      pipeline: () => connection.client.pipeline(),
      incarnation: () => this.incarnation,
    };
  }

  private connect(observer: RedisMetricsObserver, watch: MasterWatch): RedisConnection {
    const client = new Redis(durableConnectionOptions(this.config.redis, watch));
    defineScripts(client, readScripts());
    client.on('ready', () => (this.incarnation += 1));
    watch.track(client);
    return new RedisConnection('durable', client, this.config.redis.startupMaxAttempts, observer);
  }
}
