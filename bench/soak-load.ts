/**
 * The soak's load: an open loop that starts operations (bench/soak-operations.ts, drawn at
 * random by MIX share) at a fixed rate, whatever the answers' latency, as independent
 * clients would; at most MAX_IN_FLIGHT at a time, so a stalled server sheds load (counted)
 * instead of piling up sockets. Every HTTP request is tallied by status and latency; each
 * sample takes the interval's figures and starts a new interval.
 */
import { HttpAnswer, HttpClient, HttpRequest } from './http-client';
import { RequestTimeoutError } from './round-trip-loop';
import { MIX, OperationName, SoakOperations } from './soak-operations';

const TICK_MS = 20;
const MAX_IN_FLIGHT = 128;

/** What the requests of one sampling interval did. */
export interface IntervalFigures {
  readonly requests: number;
  readonly perSecond: number;
  /** Requests whose answer was not 2xx (303 redirects and 404 cache misses included). */
  readonly non2xx: number;
  /** Operations with a wrong answer, plus requests that failed (socket error, timeout). */
  readonly errors: number;
  readonly shed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadTotals {
  readonly requests: number;
  readonly operations: Record<string, number>;
  readonly statuses: Record<string, number>;
  readonly non2xx: number;
  /** Operations whose answer no correct server gives, by operation. */
  readonly wrongAnswers: Record<string, number>;
  /** Socket errors and timeouts. */
  readonly failedRequests: number;
  readonly shed: number;
  /** The first few wrong answers and failed requests, for the report. */
  readonly examples: string[];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function pick(): OperationName {
  let r = Math.random();
  for (const [name, share] of MIX) {
    if ((r -= share) < 0) return name;
  }
  return MIX[0][0];
}

export class SoakLoad {
  readonly operations: SoakOperations;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private startedAt = 0;
  private launched = 0;
  private interval = { requests: 0, non2xx: 0, errors: 0, shed: 0, latencies: [] as number[] };
  private intervalStart = Date.now();
  private readonly totals = {
    requests: 0,
    operations: {} as Record<string, number>,
    statuses: {} as Record<string, number>,
    non2xx: 0,
    wrongAnswers: {} as Record<string, number>,
    failedRequests: 0,
    shed: 0,
    examples: [] as string[],
  };

  constructor(
    private readonly http: HttpClient,
    build: (send: (spec: HttpRequest) => Promise<HttpAnswer>) => SoakOperations,
  ) {
    this.operations = build((spec) => this.send(spec));
  }

  /** Starts `rate` operations per second until stop(). */
  start(rate: number): void {
    this.startedAt = Date.now();
    this.launched = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - this.startedAt) / 1000) * rate) - this.launched;
      for (let i = 0; i < due; i++) {
        this.launched += 1;
        if (this.inFlight.size >= MAX_IN_FLIGHT) {
          this.interval.shed += 1;
          this.totals.shed += 1;
          continue;
        }
        const running = this.runCounted(pick()).finally(() => this.inFlight.delete(running));
        this.inFlight.add(running);
      }
    }, TICK_MS);
  }

  /** Stops starting operations and waits for those in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
  }

  /** Runs one operation outside the loop (the warm-up); throws if its answer is wrong. */
  async once(name: OperationName): Promise<void> {
    if (!(await this.operations.run(name))) {
      throw new Error(`soak warm-up: ${name} got a wrong answer: ${this.totals.examples[0] ?? ''}`);
    }
  }

  /** The figures since the last call, and a fresh interval. */
  takeInterval(): IntervalFigures {
    const { requests, non2xx, errors, shed, latencies } = this.interval;
    const seconds = Math.max(0.001, (Date.now() - this.intervalStart) / 1000);
    latencies.sort((a, b) => a - b);
    this.interval = { requests: 0, non2xx: 0, errors: 0, shed: 0, latencies: [] };
    this.intervalStart = Date.now();
    return {
      requests,
      perSecond: requests / seconds,
      non2xx,
      errors,
      shed,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
    };
  }

  summary(): LoadTotals {
    return structuredClone(this.totals);
  }

  private async runCounted(name: OperationName): Promise<void> {
    this.totals.operations[name] = (this.totals.operations[name] ?? 0) + 1;
    let ok: boolean;
    try {
      ok = await this.operations.run(name);
    } catch {
      // A socket error or timeout: counted by send() as a failed request, not as a wrong
      // answer (on a shared machine it measures the machine; the report shows both).
      this.interval.errors += 1;
      return;
    }
    if (!ok) {
      this.totals.wrongAnswers[name] = (this.totals.wrongAnswers[name] ?? 0) + 1;
      this.interval.errors += 1;
    }
  }

  private async send(spec: HttpRequest): Promise<HttpAnswer> {
    const started = performance.now();
    this.totals.requests += 1;
    this.interval.requests += 1;
    try {
      const answer = await this.http.send(spec);
      this.interval.latencies.push(performance.now() - started);
      const status = String(answer.status);
      this.totals.statuses[status] = (this.totals.statuses[status] ?? 0) + 1;
      if (answer.status < 200 || answer.status > 299) {
        this.totals.non2xx += 1;
        this.interval.non2xx += 1;
        // An unexpected answer is one of these; keep a few whatever the operation decides.
        if (answer.status >= 400 && answer.status !== 404 && this.totals.examples.length < 10) {
          this.totals.examples.push(
            `${spec.method} ${spec.path.split('?', 1)[0]}: ${status} ${answer.body.slice(0, 160)}`,
          );
        }
      }
      return answer;
    } catch (err) {
      this.totals.failedRequests += 1;
      if (this.totals.examples.length < 10) {
        const path = spec.path.split('?', 1)[0];
        const what = err instanceof RequestTimeoutError ? 'timed out' : (err as Error).message;
        this.totals.examples.push(`${spec.method} ${path}: ${what}`);
      }
      throw err;
    }
  }
}
