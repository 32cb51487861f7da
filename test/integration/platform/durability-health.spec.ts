/**
 * "Cannot satisfy durability" is visible: with REDIS_WRITE_REPLICAS=1 and the only replica
 * gone, token requests get a clean 503 + Retry-After at once, /health/dependencies says why,
 * the gauge says 0, and /health/ready stays 200 on purpose (docs/reliability.md).
 */
import { ClientsService } from '../../../src/clients/clients.service';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';

const ADMIN_TOKEN = 'durability-admin-token-0123456789abcdef01';
const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

interface AuthEntry {
  name: string;
  durability?: { required: number; connected_replicas: number | null; satisfiable: boolean };
}

describe('durability that cannot be satisfied (one replica, REDIS_WRITE_REPLICAS=1)', () => {
  const topology = useTopology({ mode: 'sentinel', replicas: 1 });
  let running: RunningApp | undefined;
  afterAll(() => running?.close());

  const dependencies = async () => {
    const body = await (await fetch(`${running!.url}/health/dependencies`, asAdmin)).json();
    const auth = (body.redis.clients as AuthEntry[]).find((c) => c.name === 'auth');
    return { status: body.status as string, durability: auth?.durability };
  };
  const satisfiableGauge = async () => {
    const text = await (await fetch(`${running!.url}/metrics`, asAdmin)).text();
    return /^tollgate_redis_durability_satisfiable (\d)/m.exec(text)?.[1];
  };

  it('reports it, refuses token requests with 503 at once, and keeps /health/ready at 200', async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN, REDIS_WRITE_REPLICAS: '1' });
    await eventually(async () => (await dependencies()).status === 'healthy', 15_000, 'healthy');
    expect((await dependencies()).durability).toEqual({
      required: 1,
      connected_replicas: 1,
      satisfiable: true,
      reason: null,
    });
    expect(await satisfiableGauge()).toBe('1');
    const { client, clientSecret } = await running.app.get(ClientsService).create({
      name: 'durability-test',
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['cache:read'],
    });
    const token = () =>
      fetch(`${running!.url}/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=cache:read',
      });
    expect((await token()).status).toBe(200);

    await topology().stopNode(topology().dataNodes[1].port, 'SIGKILL');
    await eventually(
      async () => (await dependencies()).durability?.satisfiable === false,
      15_000,
      'durability unsatisfiable',
    );
    const report = await dependencies();
    expect(report.status).toBe('degraded');
    expect(report.durability).toMatchObject({ required: 1, connected_replicas: 0 });
    expect(await satisfiableGauge()).toBe('0');
    const refused = await token();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await fetch(`${running.url}/health/ready`)).status).toBe(200);
  });
});
