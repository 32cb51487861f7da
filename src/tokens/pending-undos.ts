import { Logger } from '@nestjs/common';
import { isRedisOutage } from '../redis/redis-unavailable';
import type { RotationRequest } from './token.store';

/** How often the undos still pending are tried while Redis does not answer. */
const RETRY_EVERY_MS = 200;
/** Entries are a few hundred bytes; past this many the oldest is given up (logged). */
const MAX_PENDING = 10_000;

/**
 * Undos of failed refresh rotations that could not run when the rotation failed, because Redis
 * could not be reached (the master died between running the rotation and confirming it). The
 * rotation may still be on the replica that Sentinel promotes, so each undo is kept here and
 * applied as soon as Redis answers again: in the background every RETRY_EVERY_MS, and before
 * this instance rotates the same refresh token again (the client's retry), which would
 * otherwise be taken for reuse and revoke the family. Applying an undo twice is harmless
 * (undoRotation-5.lua does nothing once the undelivered pair is gone).
 *
 * The undos live in this process only: a retry that reaches another instance before the undo
 * has run is still taken for reuse (REFRESH_TOKEN_REUSE_GRACE_SECONDS covers it), and an undo
 * pending when the process stops is lost (docs/reliability.md).
 */
export class PendingUndos {
  private readonly logger = new Logger(PendingUndos.name);
  /** By the presented refresh token's digest; Map order is insertion order (oldest first). */
  private readonly pending = new Map<string, RotationRequest>();
  private timer: NodeJS.Timeout | undefined;
  private retrying = false;

  constructor(private readonly apply: (r: RotationRequest) => Promise<unknown>) {}

  get size(): number {
    return this.pending.size;
  }

  /** Keeps an undo that could not run; it is tried again until it has run. */
  add(r: RotationRequest): void {
    this.pending.delete(r.presentedDigest);
    this.pending.set(r.presentedDigest, r);
    if (this.pending.size > MAX_PENDING) {
      const [oldest] = this.pending.keys();
      this.pending.delete(oldest);
      this.logger.error(
        `more than ${MAX_PENDING} failed rotations wait to be undone; gave up the oldest (its client must sign in again)`,
      );
    }
    this.logger.warn(
      `a failed refresh rotation could not be undone yet (Redis unreachable); ${this.pending.size} waiting, retried every ${RETRY_EVERY_MS} ms`,
    );
    this.timer ??= setInterval(() => void this.retryAll(), RETRY_EVERY_MS).unref();
  }

  /**
   * Before the refresh token `presentedDigest` is rotated again: runs its pending undo first.
   * Throws (a Redis outage: the caller answers 503) if it still cannot run; rotating before it
   * has run would be taken for reuse.
   */
  async settle(presentedDigest: string): Promise<void> {
    const r = this.pending.get(presentedDigest);
    if (r) await this.run(r);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs one undo; throws only while Redis is unreachable (the undo stays pending). */
  private async run(r: RotationRequest): Promise<void> {
    try {
      await this.apply(r);
      this.forget(r, 'undid a failed refresh rotation');
    } catch (err) {
      if (isRedisOutage(err)) throw err;
      // Not an outage (never expected): retrying would not help.
      this.forget(r, `gave up undoing a failed refresh rotation: ${(err as Error).message}`);
    }
  }

  private forget(r: RotationRequest, what: string): void {
    if (this.pending.get(r.presentedDigest) !== r) return;
    this.pending.delete(r.presentedDigest);
    this.logger.log(`${what}; ${this.pending.size} still waiting`);
    if (this.pending.size === 0) this.stop();
  }

  /** Oldest first; stops at the first failure (Redis still unreachable) until the next tick. */
  private async retryAll(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      for (const r of [...this.pending.values()]) await this.run(r);
    } catch {
      // Still unreachable: the next tick tries again.
    } finally {
      this.retrying = false;
    }
  }
}
