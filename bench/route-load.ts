/**
 * The load of one route on one server, as bench/measure.ts drives it: independent requests
 * repeated by autocannon, or dependent requests (a round trip) run by bench/round-trip-loop.ts.
 */
import type autocannon from 'autocannon';
import type { Operation } from './round-trip-loop';

interface LoadChecks {
  /** Sends one request (or round trip) as the load would and throws unless answered right. */
  once(): Promise<void>;
  /** Extra checks after the load (e.g. that revoked tokens are inactive). */
  verifyAfter(): Promise<void>;
  /** Called between warm-up and measurement with the warm-up's rate (req/s). */
  afterWarmup(requestsPerSecond: number): Promise<void>;
  /** Anything the reader must know about the cell. */
  notes(): string[];
}

/** A load of independent requests, driven by autocannon. */
export interface RequestLoad extends LoadChecks {
  /** What autocannon repeats; a `setupRequest` may change each request. */
  readonly request: autocannon.RequestSpec;
  /** Lets the load end a run early (a revoke run out of fresh tokens). */
  bind(instance: autocannon.Instance): void;
}

/** A load of dependent requests (one operation = one round trip), driven by
 * bench/round-trip-loop.ts with one worker per connection. */
export interface RoundTripLoad extends LoadChecks {
  readonly operation: Operation;
  /** Releases the load's sockets after the cell. */
  close(): void;
}

export type RouteLoad = RequestLoad | RoundTripLoad;
