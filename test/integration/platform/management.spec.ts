/**
 * Internals (/metrics, /health/dependencies) are never public: on the main port they need
 * the admin credential; with MANAGEMENT_PORT they exist only on the management listener.
 * The public probes say up or not, never why.
 */
import { ManagementServer } from '../../../src/management/management-server';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';

const ADMIN_TOKEN = 'management-admin-token-0123456789abcdef012';
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('management endpoints without MANAGEMENT_PORT', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN });
  });
  afterAll(() => running.close());

  it.each(['/metrics', '/health/dependencies'])(
    'refuses %s without the admin credential, with a Bearer challenge',
    async (path) => {
      for (const init of [{}, bearer('not-the-admin-token')]) {
        const res = await fetch(`${running.url}${path}`, init);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="management"');
        expect((await res.json()).error).toBe('unauthorized');
      }
    },
  );

  it('serves /metrics to the admin credential, never cached', async () => {
    const res = await fetch(`${running.url}/metrics`, bearer(ADMIN_TOKEN));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('tollgate_redis_connection_state');
  });

  it('keeps /health/live and /health/ready public and free of internals', async () => {
    await eventually(async () => (await fetch(`${running.url}/health/ready`)).ok, 10_000, 'ready');
    // Terminus's report: up or down per check, never an address, role or Redis message.
    expect(await (await fetch(`${running.url}/health/ready`)).json()).toEqual({
      status: 'ok',
      info: { redis: { status: 'up' } },
      error: {},
      details: { redis: { status: 'up' } },
    });
    expect(await (await fetch(`${running.url}/health/live`)).json()).toEqual({
      status: 'ok',
      info: {},
      error: {},
      details: {},
    });
  });

  it('reports a frozen master as degraded: its PING times out', async () => {
    await eventually(async () => (await fetch(`${running.url}/health/ready`)).ok, 10_000, 'ready');
    const port = topology().dataNodes[0].port;
    topology().pauseNode(port);
    try {
      const started = Date.now();
      const res = await fetch(`${running.url}/health/dependencies`, bearer(ADMIN_TOKEN));
      const report = await res.json();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(report.status).toBe('degraded');
      expect(report.redis.clients[0]).toMatchObject({
        pingMs: null,
        lastError: expect.any(String),
      });
      expect((await fetch(`${running.url}/health/ready`)).status).toBe(503);
    } finally {
      topology().resumeNode(port);
    }
    await eventually(
      async () =>
        (await (await fetch(`${running.url}/health/dependencies`, bearer(ADMIN_TOKEN))).json())
          .status === 'healthy',
      10_000,
      'healthy after resume',
    );
  });
});

describe('management endpoints with MANAGEMENT_PORT', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;
  let management: string;

  beforeAll(async () => {
    running = await startApp({
      ...topology().env(),
      ADMIN_TOKEN,
      MANAGEMENT_PORT: '0',
      MANAGEMENT_HOST: '127.0.0.1',
    });
    management = `http://127.0.0.1:${running.app.get(ManagementServer).address()?.port}`;
  });
  afterAll(() => running.close());

  it.each(['/metrics', '/health/dependencies'])(
    'answers %s with 404 on the main port, even to the admin credential',
    async (path) => {
      const res = await fetch(`${running.url}${path}`, bearer(ADMIN_TOKEN));
      expect(res.status).toBe(404);
    },
  );

  it('serves /metrics and /health/dependencies on the management listener', async () => {
    const metrics = await fetch(`${management}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('cache-control')).toBe('no-store');
    expect(metrics.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await metrics.text()).toContain('tollgate_http_request_duration_seconds');
    await eventually(
      async () =>
        (await (await fetch(`${management}/health/dependencies`)).json()).status === 'healthy',
      10_000,
      'healthy',
    );
  });

  it('serves nothing else there', async () => {
    expect((await fetch(`${management}/oauth2/token`)).status).toBe(404);
    const post = await fetch(`${management}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('closes the management listener on shutdown', async () => {
    const app = await startApp({
      ...topology().env(),
      MANAGEMENT_PORT: '0',
      MANAGEMENT_HOST: '127.0.0.1',
    });
    const port = app.app.get(ManagementServer).address()?.port;
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    await app.close();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
