/**
 * The part of autocannon 8's programmatic API the benchmark uses (the package ships no
 * types). Its own latencies are whole milliseconds, recorded for 2xx responses only; the
 * benchmark records its own from the `response` event (bench/latency.ts).
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    /** One request of a `requests` list: its fields override the options' for that request. */
    interface RequestSpec {
      method?: 'GET' | 'POST' | 'PUT';
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called before each request is sent: returns the request to send. */
      setupRequest?: (request: RequestSpec) => RequestSpec;
      /** Called with each response's status and full body. */
      onResponse?: (status: number, body: string) => void;
    }

    interface Options {
      url: string;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      pipelining?: number;
      /** Seconds; ignored when `amount` is set. */
      duration?: number;
      /** Total requests to send, then stop. */
      amount?: number;
      /** Seconds before a request counts as a timeout. */
      timeout?: number;
      requests?: RequestSpec[];
    }

    interface Stats {
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
    }

    interface Result {
      requests: Stats & { total: number; sent: number };
      latency: Stats;
      /** Seconds, to the hundredth. */
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      statusCodeStats: Record<string, { count: number }>;
    }

    /** The running benchmark: a promise of its result that also emits per-response events. */
    interface Instance extends EventEmitter, PromiseLike<Result> {
      /** Ends the run at the next one-second sample. */
      stop(): void;
      on(
        event: 'response',
        listener: (client: unknown, status: number, bytes: number, ms: number) => void,
      ): this;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
