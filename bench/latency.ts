/**
 * Latency of successful (2xx) answers, to the microsecond. autocannon's own histogram keeps
 * whole milliseconds, which hides everything below 1 ms at one connection; its `response`
 * event carries the exact time, so the benchmark keeps every sample and sorts once.
 */
import type autocannon from 'autocannon';

export interface LatencySummary {
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly mean: number;
  readonly max: number;
  readonly samples: number;
}

export class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private count = 0;

  /** Records every 2xx answer of `instance` from now on. */
  attach(instance: autocannon.Instance): void {
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) this.record(ms);
    });
  }

  /** One 2xx answer's (or successful round trip's) latency in milliseconds. */
  record(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.count).sort();
    // Nearest-rank percentile: the smallest sample with at least p % of samples at or below it.
    const at = (p: number): number =>
      sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
    const total = sorted.reduce((a, b) => a + b, 0);
    return {
      p50: at(50),
      p99: at(99),
      p99_9: at(99.9),
      mean: sorted.length === 0 ? 0 : total / sorted.length,
      max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
      samples: sorted.length,
    };
  }
}
