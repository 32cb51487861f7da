/**
 * A closed-loop load of dependent requests, for routes autocannon cannot drive (it repeats
 * independent requests; the authorize route needs the code of one answer in the next
 * request). `workers` loops run one operation after another until the deadline; an
 * operation is a whole round trip (several HTTP requests) and counts as one "request" in
 * the cell, so req/s, CPU/req and Redis/req read per round trip. The result has the fields
 * of autocannon's that bench/measure.ts reads.
 */
import type { LatencyRecorder } from './latency';

/** How one operation ended: `status` is the failing answer's, or the last one's when ok. */
export interface OperationOutcome {
  readonly ok: boolean;
  readonly status: number;
}

export type Operation = () => Promise<OperationOutcome>;

/** The part of autocannon's Result that a cell is built from. */
export interface RunResult {
  readonly requests: { readonly total: number; readonly sent: number };
  /** Seconds. */
  readonly duration: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodeStats: Record<string, { count: number }>;
}

/** Thrown by an operation whose request timed out (counted as a socket error and a timeout). */
export class RequestTimeoutError extends Error {}

interface Tally {
  started: number;
  completed: number;
  failed: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, { count: number }>;
}

function count(tally: Tally, status: number): void {
  const entry = (tally.statusCodes[String(status)] ??= { count: 0 });
  entry.count += 1;
}

async function worker(
  operation: Operation,
  deadline: number,
  tally: Tally,
  latency: LatencyRecorder | undefined,
): Promise<void> {
  while (Date.now() < deadline) {
    tally.started += 1;
    const started = process.hrtime.bigint();
    try {
      const outcome = await operation();
      tally.completed += 1;
      count(tally, outcome.status);
      if (!outcome.ok) tally.failed += 1;
      // Only successful round trips, as autocannon's cells keep 2xx latencies only.
      else latency?.record(Number(process.hrtime.bigint() - started) / 1e6);
    } catch (err) {
      tally.errors += 1;
      if (err instanceof RequestTimeoutError) tally.timeouts += 1;
    }
  }
}

/**
 * Runs `operation` in `workers` concurrent loops for `seconds`; operations in flight at the
 * deadline finish and count (as autocannon's requests in flight do).
 */
export async function runLoop(
  operation: Operation,
  options: { workers: number; seconds: number; latency?: LatencyRecorder },
): Promise<RunResult> {
  const tally: Tally = {
    started: 0,
    completed: 0,
    failed: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: {},
  };
  const begin = Date.now();
  const deadline = begin + options.seconds * 1000;
  const loops = Array.from({ length: options.workers }, () =>
    worker(operation, deadline, tally, options.latency),
  );
  await Promise.all(loops);
  return {
    requests: { total: tally.completed, sent: tally.started },
    duration: (Date.now() - begin) / 1000,
    non2xx: tally.failed,
    errors: tally.errors,
    timeouts: tally.timeouts,
    statusCodeStats: tally.statusCodes,
  };
}
