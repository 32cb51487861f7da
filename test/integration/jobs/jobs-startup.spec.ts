/**
 * Redis down at start-up: the app starts and serves at once, the schedule registration
 * retries in the background, and the jobs run once Redis appears.
 */
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';
import { ADMIN_TOKEN, asAdmin, FAST_JOBS, recordRuns } from './jobs-harness';

describe('cleanup jobs with Redis down at start-up', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp | undefined;

  afterAll(async () => {
    await running?.close();
  });

  it('starts without Redis and registers the schedules once Redis is back', async () => {
    const port = topology().dataNodes[0].port;
    await topology().stopNode(port);

    running = await startApp({ ...topology().env(), ...FAST_JOBS, ADMIN_TOKEN });
    const runs = recordRuns([running]);
    expect((await fetch(`${running.url}/health/live`)).status).toBe(200);
    const url = `${running.url}/health/dependencies`;
    await eventually(
      async () => (await (await fetch(url, asAdmin)).json()).jobs.registration.state === 'retrying',
      15_000,
      'a failed registration attempt',
    );
    const before = (await (await fetch(url, asAdmin)).json()).jobs;
    expect(before.registration.lastError).toEqual(expect.any(String));
    expect(runs).toEqual([]);

    await topology().restartNode(port);
    await eventually(() => runs.some((r) => r.name === 'token-cleanup'), 20_000, 'a tick');
    await eventually(
      async () =>
        (await (await fetch(url, asAdmin)).json()).jobs.registration.state === 'registered',
      10_000,
      'registered',
    );
  });
});
