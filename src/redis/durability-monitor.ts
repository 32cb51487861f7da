import type Redis from 'ioredis';

/** How often the master's INFO replication is read while durability is on... */
export const PROBE_INTERVAL_MS = 1000;
/** ...and while it shows too few replicas: a replica re-attaching after a failover is seen soon. */
export const SHORT_PROBE_INTERVAL_MS = 100;
/**
 * A replica counts as able to acknowledge when it is `online` and its last REPLCONF ACK is at
 * most this old. Replicas ACK every second, so a frozen (SIGSTOP) or cut-off replica passes
 * this within about 2 s, long before the master drops it (repl-timeout, 60 s).
 */
export const MAX_ACK_LAG_SECONDS = 2;
/** After a WAIT came back short, writes are refused this long, then one batch tries again. */
export const SHORTFALL_HOLD_MS = 1000;

/** The `durability` field of the auth entry in /health/dependencies. */
export interface DurabilityReport {
  /** REDIS_WRITE_REPLICAS. */
  readonly required: number;
  /** Replicas able to acknowledge at the last probe; null before the first or when it failed. */
  readonly connected_replicas: number | null;
  /** False while durable writes are refused or cannot be confirmed (503). */
  readonly satisfiable: boolean;
  /** Why not, when not satisfiable. */
  readonly reason: string | null;
}

/** Replicas in INFO replication (`slaveN:ip=..,state=online,offset=..,lag=0`) that can ACK. */
export function countAcknowledgingReplicas(info: string): number {
  let count = 0;
  for (const match of info.matchAll(/^slave\d+:(.*)$/gm)) {
    const fields = new Map(
      match[1].split(',').map((kv) => kv.trim().split('=') as [string, string]),
    );
    const lag = Number(fields.get('lag') ?? NaN);
    if (fields.get('state') === 'online' && lag <= MAX_ACK_LAG_SECONDS) count += 1;
  }
  return count;
}

/**
 * Knows whether durable writes can be confirmed now, so they fail fast (503 at once) instead
 * of each waiting REDIS_WRITE_TIMEOUT_MS for a WAIT that cannot succeed. Two sources: the
 * master's INFO replication, read every second on the auth connection (never on the durable
 * one, where it would queue behind a blocked WAIT), and the answers of the WAITs themselves.
 * A short WAIT refuses writes for SHORTFALL_HOLD_MS; then one batch tries again (it waits at
 * most one WAIT timeout), so a stuck replica costs one timeout per hold, not one per write.
 * An unknown replica count (probe failed, Redis down) refuses nothing: the connection state
 * and the WAIT decide then.
 */
export class DurabilityMonitor {
  private replicas: number | null = null;
  private shortUntil = 0;
  private lastShort: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private running = false;

  constructor(
    readonly required: number,
    private readonly master: Redis,
    private readonly onChange: (report: DurabilityReport) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.required === 0 || this.running) return;
    this.running = true;
    // A (re)connect may have landed on a new master: look at its replicas at once.
    this.master.on('ready', () => void this.probe());
    void this.tick();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Why durable writes must be refused now, or null. */
  refusal(): string | null {
    if (this.required === 0) return null;
    if (this.replicas !== null && this.replicas < this.required) {
      return `${this.replicas} of ${this.required} required replicas can acknowledge`;
    }
    if (this.now() < this.shortUntil) {
      return `the last WAIT counted ${this.lastShort} of ${this.required} replicas`;
    }
    return null;
  }

  /** Called with every WAIT's count (null: the WAIT failed, e.g. the connection dropped). */
  noteWait(acknowledged: number | null): void {
    if (acknowledged === null || acknowledged >= this.required) {
      if (this.shortUntil !== 0) {
        this.shortUntil = 0;
        this.publish();
      }
      return;
    }
    this.lastShort = acknowledged;
    this.shortUntil = this.now() + SHORTFALL_HOLD_MS;
    this.publish();
  }

  report(): DurabilityReport {
    const unknown = this.required > 0 && this.replicas === null;
    const reason = this.refusal() ?? (unknown ? 'replicas unknown' : null);
    return {
      required: this.required,
      connected_replicas: this.required === 0 ? null : this.replicas,
      satisfiable: reason === null,
      reason,
    };
  }

  /** Reads INFO replication once (also called by tests instead of waiting a tick). */
  async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      const next =
        this.master.status === 'ready'
          ? countAcknowledgingReplicas(await this.master.info('replication'))
          : null;
      this.setReplicas(next);
    } catch {
      this.setReplicas(null);
    } finally {
      this.probing = false;
    }
  }

  private async tick(): Promise<void> {
    await this.probe();
    if (!this.running) return;
    const short = this.replicas !== null && this.replicas < this.required;
    this.timer = setTimeout(
      () => void this.tick(),
      short ? SHORT_PROBE_INTERVAL_MS : PROBE_INTERVAL_MS,
    );
    this.timer.unref();
  }

  /** Publishes on every probe, so a hold that expired shows within one interval. */
  private setReplicas(next: number | null): void {
    this.replicas = next;
    this.publish();
  }

  private publish(): void {
    this.onChange(this.report());
  }
}
