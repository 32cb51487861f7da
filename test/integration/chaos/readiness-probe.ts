/**
 * Polls /health/ready on every instance through a chaos run, so the time until both are
 * ready again is measured from samples, not guessed from one final request.
 */
interface Sample {
  readonly at: number;
  readonly allReady: boolean;
}

const ready = async (url: string): Promise<boolean> => {
  try {
    const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
};

export class ReadinessProbe {
  private readonly samples: Sample[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly urls: readonly string[]) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const at = Date.now();
      const answers = await Promise.all(this.urls.map(ready));
      this.samples.push({ at, allReady: answers.every(Boolean) });
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Resolves once a sample found every instance ready; throws after `timeoutMs`. */
  async waitAllReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.samples.at(-1)?.allReady) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`instances not all ready ${timeoutMs} ms after the run`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** ms from `from` to the first all-ready sample after the last not-ready one (0: never left). */
  readyAgainAfter(from: number): number {
    let lastBad = -1;
    this.samples.forEach((s, i) => {
      if (!s.allReady) lastBad = i;
    });
    if (lastBad < 0) return 0;
    const good = this.samples.slice(lastBad + 1).find((s) => s.allReady);
    return good ? Math.max(0, good.at - from) : Number.NaN;
  }
}
