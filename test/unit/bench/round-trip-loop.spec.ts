import { LatencyRecorder } from '../../../bench/latency';
import { OperationOutcome, RequestTimeoutError, runLoop } from '../../../bench/round-trip-loop';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('runLoop (the closed loop of the authorize bench route)', () => {
  it('counts every operation once: successes, failed answers by status, errors and timeouts', async () => {
    let calls = 0;
    const operation = async (): Promise<OperationOutcome> => {
      const n = ++calls;
      await tick();
      if (n % 7 === 0) throw new RequestTimeoutError('timed out');
      if (n % 5 === 0) throw new Error('socket hang up');
      if (n % 3 === 0) return { ok: false, status: 303 };
      return { ok: true, status: 200 };
    };
    const latency = new LatencyRecorder();

    const result = await runLoop(operation, { workers: 4, seconds: 0.2, latency });

    const ok = result.statusCodeStats['200']?.count ?? 0;
    const failed = result.statusCodeStats['303']?.count ?? 0;
    expect(result.requests.sent).toBe(calls);
    expect(result.requests.total).toBe(ok + failed);
    expect(result.requests.sent).toBe(result.requests.total + result.errors);
    expect(result.non2xx).toBe(failed);
    expect(failed).toBeGreaterThan(0);
    expect(result.timeouts).toBeGreaterThan(0);
    expect(result.errors).toBeGreaterThan(result.timeouts);
    // Latency is kept for successful round trips only, as for autocannon's 2xx answers.
    expect(latency.summary().samples).toBe(ok);
  });

  it('keeps exactly `workers` operations in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const operation = async (): Promise<OperationOutcome> => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
      return { ok: true, status: 200 };
    };

    const result = await runLoop(operation, { workers: 3, seconds: 0.1 });

    expect(most).toBe(3);
    expect(inFlight).toBe(0); // operations in flight at the deadline finished and counted
    expect(result.requests.total).toBe(result.requests.sent);
    expect(result.non2xx + result.errors).toBe(0);
  });
});
