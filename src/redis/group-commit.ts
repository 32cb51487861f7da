import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { isRedisOutage } from './redis-unavailable';

/** Sends exactly one write command (usually a Lua script) to the given target. */
export type QueueWrite = (target: Redis | ChainableCommander) => unknown;

/** The dedicated durable-write connection, as group commit sees it. */
export interface WriteChannel {
  pipeline(): ChainableCommander;
  /** Bumped on every (re)connect: a write and the WAIT covering it must share one. */
  incarnation(): number;
}

/** Why a write was not confirmed; the caller turns it into a 503. */
export class DurabilityShortfall extends Error {}

export interface GroupCommitOptions {
  readonly replicas: number;
  readonly timeoutMs: number;
  /** A reason to refuse writes without sending them (checked when a batch is sent), or null. */
  readonly refusal: () => string | null;
  /** Every WAIT's answer (acknowledging replicas; null when it failed), for the monitor. */
  readonly onWait: (acknowledged: number | null) => void;
  /** Writes sent per WAIT, for the batch size metric. */
  readonly onBatch?: (size: number) => void;
}

interface Pending {
  readonly queue: QueueWrite;
  readonly resolve: (reply: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Group commit of durable writes. `WAIT n t` covers every write sent before it on the same
 * connection, so concurrent writes share one: a batch is the writes that arrived while the
 * previous WAIT was in flight, sent as one pipeline `write, write, ..., WAIT`. One WAIT is in
 * flight at a time (Redis blocks the connection during WAIT anyway), so durability costs a
 * round trip of latency, not a WAIT per write of throughput.
 *
 * A caller resolves only when the WAIT sent after its write, on the same connection
 * incarnation, counted at least `replicas` acknowledgements. Anything else fails every write of
 * the batch with DurabilityShortfall (ARCHITECTURE.md, "Pitfalls": a WAIT answered after a
 * reconnect means nothing). Writes waiting for the next batch are kept here, not sent, so a
 * WAIT that comes back short lets `refusal` fail them at once instead of sending them behind
 * another doomed WAIT.
 */
export class GroupCommit {
  private waiting: Pending[] = [];
  private inFlight = false;
  private scheduled = false;

  constructor(
    private readonly channel: WriteChannel,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Resolves with the write's reply once a WAIT confirmed it; command errors reject as they are. */
  submit<T>(queue: QueueWrite): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ queue, resolve: resolve as (reply: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Writes not yet sent (waiting for the WAIT in flight). */
  get backlog(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.inFlight || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // setImmediate, like ioredis auto-pipelining: writes issued by the I/O events of this loop
    // turn (concurrent requests) join the same batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    const refusal = this.options.refusal();
    if (refusal) {
      this.settle(batch, null, new DurabilityShortfall(refusal));
      return this.schedule();
    }
    this.inFlight = true;
    try {
      await this.send(batch);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    const { replicas, timeoutMs } = this.options;
    const incarnation = this.channel.incarnation();
    const pipeline = this.channel.pipeline();
    const sent: Pending[] = [];
    for (const write of batch) {
      try {
        write.queue(pipeline);
        sent.push(write);
      } catch (err) {
        write.reject(err);
      }
    }
    if (sent.length === 0) return;
    pipeline.wait(replicas, timeoutMs);
    this.options.onBatch?.(sent.length);
    let replies: [Error | null, unknown][];
    try {
      replies = (await pipeline.exec()) ?? [];
    } catch (err) {
      this.options.onWait(null);
      return this.settle(sent, null, new DurabilityShortfall((err as Error).message));
    }
    const [waitError, acknowledged] = replies[sent.length] ?? [new Error('no WAIT reply')];
    const count = waitError ? null : Number(acknowledged);
    this.options.onWait(count);
    const shortfall =
      waitError?.message ??
      (this.channel.incarnation() !== incarnation
        ? 'reconnected during the write'
        : count !== null && count < replicas
          ? `${count} of ${replicas} replicas acknowledged`
          : null);
    this.settle(sent, replies, shortfall === null ? null : new DurabilityShortfall(shortfall));
  }

  /** Command errors other than outages reject as they are (a bug or a script error). */
  private settle(
    batch: Pending[],
    replies: [Error | null, unknown][] | null,
    shortfall: DurabilityShortfall | null,
  ): void {
    batch.forEach((write, i) => {
      const [error, reply] = replies?.[i] ?? [null, undefined];
      if (error && !isRedisOutage(error)) write.reject(error);
      else if (error) write.reject(new DurabilityShortfall(error.message));
      else if (shortfall) write.reject(shortfall);
      else write.resolve(reply);
    });
  }
}
