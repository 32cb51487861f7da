/**
 * The platform against a real standalone Redis: start-up without Redis, Redis appearing,
 * runtime loss and recovery, and what /health and /metrics report meanwhile.
 */
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';

const ADMIN_TOKEN = 'lifecycle-admin-token-0123456789abcdef0123';
const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
const statusOf = async (url: string) => (await fetch(url)).status;
const dependencies = async (url: string) =>
  (await fetch(`${url}/health/dependencies`, asAdmin)).json();

/** Waits until /health/ready answers `status`. */
const readiness = (url: string, status: 200 | 503, timeoutMs = 15_000) =>
  eventually(
    async () => (await statusOf(`${url}/health/ready`)) === status,
    timeoutMs,
    `ready=${status}`,
  );

describe('Redis lifecycle (standalone)', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('serves /health/live at once while Redis is absent, and turns ready once Redis appears', async () => {
    const port = topology().dataNodes[0].port;
    await topology().stopNode(port);

    running = await startApp({ ...topology().env(), ADMIN_TOKEN });
    expect(await statusOf(`${running.url}/health/live`)).toBe(200);
    const notReady = await fetch(`${running.url}/health/ready`);
    expect(notReady.status).toBe(503);
    // Public probe: up or not, never why (no addresses, no Redis error messages).
    expect(await notReady.json()).toEqual({
      status: 'error',
      info: {},
      error: { redis: { status: 'down' } },
      details: { redis: { status: 'down' } },
    });

    await topology().restartNode(port);
    await readiness(running.url, 200);
    const health = await (await fetch(`${running.url}/health`)).json();
    expect(health).toEqual({
      status: 'healthy',
      service: 'tollgate',
      timestamp: expect.any(String),
    });
    expect(new Date(health.timestamp).toISOString()).toBe(health.timestamp);
  });

  it('reports loss of Redis at runtime and recovers without a restart', async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN });
    const url = running.url;
    await readiness(url, 200);

    const port = topology().dataNodes[0].port;
    await topology().stopNode(port);
    await readiness(url, 503);
    const deps = await dependencies(url);
    expect(deps.status).toBe('degraded');
    const auth = deps.redis.clients.find((c: { name: string }) => c.name === 'auth');
    expect(['failed', 'connecting']).toContain(auth.state);
    expect(auth.lastError).toEqual(expect.any(String));

    await topology().restartNode(port);
    await readiness(url, 200);
    const after = await dependencies(url);
    expect(after.status).toBe('healthy');
    for (const client of after.redis.clients) {
      expect(client).toMatchObject({
        state: 'connected',
        retries: 0,
        role: 'master',
        latencyClass: expect.any(String),
      });
      expect(client.reconnects).toBeGreaterThan(0);
      expect(client.pingMs).toEqual(expect.any(Number));
      expect(client.connectedClients).toBeGreaterThan(0);
      expect(client.usedMemory).toEqual(expect.any(String));
    }
  });

  it('exposes connection-state gauges, reconnect counters and request durations on /metrics', async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN });
    const url = running.url;
    await readiness(url, 200);
    const port = topology().dataNodes[0].port;
    await topology().stopNode(port);
    await readiness(url, 503);
    await topology().restartNode(port);
    await readiness(url, 200);

    const res = await fetch(`${url}/metrics`, asAdmin);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^tollgate_redis_connection_state\{client="auth",state="connected"\} 1$/m);
    expect(text).toMatch(/^tollgate_redis_connection_state\{client="cache",state="failed"\} 0$/m);
    const reconnects = /^tollgate_redis_reconnects_total\{client="auth"\} (\d+)$/m.exec(text);
    expect(Number(reconnects?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(
      /tollgate_http_request_duration_seconds_count\{method="GET",route="\/health\/ready",status="503"\} \d+/,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('declares itself degraded after the configured start-up attempts and keeps retrying', async () => {
    const port = topology().dataNodes[0].port;
    await topology().stopNode(port);
    running = await startApp({
      ...topology().env(),
      ADMIN_TOKEN,
      REDIS_STARTUP_MAX_ATTEMPTS: '3',
    });
    const url = running.url;
    await eventually(
      async () => {
        const deps = await dependencies(url);
        return deps.redis.clients.every((c: { degraded: boolean }) => c.degraded);
      },
      10_000,
      'degraded',
    );
    await topology().restartNode(port);
    await readiness(url, 200);
    const deps = await dependencies(url);
    expect(deps.redis.clients.map((c: { degraded: boolean }) => c.degraded)).toEqual([
      false,
      false,
    ]);
  });
});
