/**
 * Connection states, as the health endpoint and metrics report them:
 * - disconnected: not started yet, or closed on purpose (shutdown)
 * - connecting:   an attempt is in progress (initial or after a loss)
 * - connected:    the client is ready for commands
 * - failed:       the last attempt failed; a retry is scheduled (backoff)
 */
export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'failed';

export interface ConnectionSnapshot {
  readonly name: string;
  readonly state: ConnectionState;
  /** Consecutive failed attempts since the last successful connection. */
  readonly retries: number;
  /** Reconnects since start (successful or not). */
  readonly reconnects: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** Seconds since the current connection became ready; null while not connected. */
  readonly uptimeSeconds: number | null;
  /** True once start-up gave up waiting: the service runs degraded and keeps retrying. */
  readonly degraded: boolean;
}

/**
 * Backoff of ARCHITECTURE.md: base, 2x, 4x, 8x ... capped (1 s, 2 s, 4 s, 8 s, 15 s by default).
 * `attempt` starts at 1.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(baseMs * 2 ** exponent, maxMs);
}
