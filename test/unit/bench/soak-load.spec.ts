import { CookieJar } from '../../../bench/authorize-route';
import type { HttpAnswer, HttpClient, HttpRequest } from '../../../bench/http-client';
import { RequestTimeoutError } from '../../../bench/round-trip-loop';
import { LoadTotals, SoakLoad } from '../../../bench/soak-load';
import { SoakFixtures, SoakOperations } from '../../../bench/soak-operations';

const FIXTURES: SoakFixtures = {
  serviceBasic: 'Basic c2VydmljZTpzZWNyZXQ=',
  web: { userId: 'u', username: 'alice', password: 'p', clientId: 'web', basic: 'Basic d2Vi' },
  jar: new CookieJar(),
};

/** Runs the open loop against a server that answers every request with `answer`. */
async function runAgainst(answer: (spec: HttpRequest) => Promise<HttpAnswer>): Promise<LoadTotals> {
  const http = { send: answer } as unknown as HttpClient;
  const load = new SoakLoad(
    http,
    (send) => new SoakOperations(send, FIXTURES, { refreshMs: 120_000, familyMs: 240_000 }),
  );
  load.start(500);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await load.stop();
  return load.summary();
}

const count = (record: Record<string, number>): number =>
  Object.values(record).reduce((sum, n) => sum + n, 0);

describe('soak load', () => {
  it('counts a timed-out request as a failed request, not as a wrong answer', async () => {
    const totals = await runAgainst(async (spec) => {
      throw new RequestTimeoutError(`${spec.method} ${spec.path} timed out`);
    });
    expect(totals.requests).toBeGreaterThan(0);
    expect(totals.failedRequests).toBe(totals.requests);
    expect(totals.wrongAnswers).toEqual({});
    expect(totals.examples[0]).toMatch(/: timed out$/);
  });

  it('counts every operation answered with a 500 as a wrong answer', async () => {
    const totals = await runAgainst(async () => ({ status: 500, headers: {}, body: '{}' }));
    expect(count(totals.operations)).toBeGreaterThan(0);
    expect(count(totals.wrongAnswers)).toBe(count(totals.operations));
    expect(totals.failedRequests).toBe(0);
    expect(totals.non2xx).toBe(totals.requests);
  });
});
