/**
 * Closing the app in Sentinel mode leaves no connection to any Sentinel behind. ioredis's
 * `quit()` does not close the Sentinel subscriptions of `failoverDetector: true` (the jobs
 * connections use it; redis/ioredis#1362): they stayed open, then reconnected every 60 s for
 * ever, and a process that had closed its app never exited (the chaos spec's jest process,
 * issue 12). Asserted on the Sentinels themselves: their CLIENT LIST must empty.
 */
import { withClient } from '../../../src/dev/redis-process';
import { useTopology } from '../../support/redis-topology';
import { eventually, startApp } from '../../support/test-app';

/** CLIENT LIST lines of one Sentinel, without the asking connection and the peer Sentinels. */
async function sentinelClients(port: number): Promise<string[]> {
  const list = await withClient(port, (c) => c.call('CLIENT', 'LIST'));
  return String(list)
    .split('\n')
    .filter((line) => line.trim() !== '' && !/ cmd=client\|list |name=sentinel-/.test(line));
}

describe('shutdown in Sentinel mode', () => {
  const topology = useTopology({ mode: 'sentinel', replicas: 1 });

  it('closes every Sentinel connection, the jobs failover detector included', async () => {
    const app = await startApp(topology().env());
    const ports = topology()
      .sentinelAddresses()
      .map((s) => s.port);
    const subscribed = async () =>
      (await Promise.all(ports.map(sentinelClients))).flat().filter((l) => / sub=[1-9]/.test(l));
    try {
      await eventually(async () => (await fetch(`${app.url}/health/ready`)).ok, 20_000, 'ready');
      // Per Sentinel: the app's master watch and the failover detector of each jobs connection.
      await eventually(async () => (await subscribed()).length >= 2 * ports.length, 15_000);
    } finally {
      await app.close();
    }
    let left: string[] = [];
    await eventually(
      async () =>
        (left = await Promise.all(ports.map(sentinelClients)).then((l) => l.flat())).length === 0,
      5_000,
      'Sentinel connections closed',
    ).catch(() => undefined);
    expect(left).toEqual([]);
  });
});
