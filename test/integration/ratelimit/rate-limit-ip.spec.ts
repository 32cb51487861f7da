/**
 * Per-IP limits over HTTP against real Redis: failed client authentications with and without
 * TRUST_PROXY, the default route limit, the routes never limited, the metric exported from
 * start-up, and failing open (or closed, when configured) while Redis is down.
 */
import { createClient, post, startReadyApp } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import {
  ADMIN_TOKEN,
  CC,
  decisions,
  expectLimited,
  LIMITS,
  remainingOf,
} from './rate-limit-support';

describe('per-IP limits: failed client authentications, the default route limit', () => {
  const topology = useTopology({ mode: 'standalone' });
  let direct: RunningApp;
  let proxied: RunningApp;
  const wrong = (id: string) => ({ basic: [id, 'wrong-secret'] as const });

  beforeAll(async () => {
    direct = await startReadyApp({ ...topology().env(), ...LIMITS, TRUST_PROXY: 'false' });
    // Trusts the loopback peer as its proxy: X-Forwarded-For names the client.
    proxied = await startReadyApp({ ...topology().env(), ...LIMITS, TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('with TRUST_PROXY honoured, limits failed authentications per X-Forwarded-For address', async () => {
    const client = await createClient(proxied);
    const from = (ip: string) => ({ ...wrong(client.id), headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 2; i++) {
      expect((await post(proxied, '/oauth2/token', CC, from('203.0.113.1'))).status).toBe(401);
    }
    expectLimited(await post(proxied, '/oauth2/token', CC, from('203.0.113.1')), 'ip', 'q=2;w=60');
    // Another address behind the same proxy has its own budget.
    expect((await post(proxied, '/oauth2/token', CC, from('203.0.113.2'))).status).toBe(401);
    // A correct secret is never refused by the IP's failure budget (no Redis call on success).
    const ok = {
      basic: [client.id, client.secret] as const,
      headers: { 'x-forwarded-for': '203.0.113.1' },
    };
    expect((await post(proxied, '/oauth2/token', CC, ok)).status).toBe(200);
  });

  it('with TRUST_PROXY off, ignores X-Forwarded-For: every failure counts against the peer', async () => {
    const client = await createClient(direct);
    const spoofed = (i: number) => ({
      ...wrong(client.id),
      headers: { 'x-forwarded-for': `198.51.100.${i}` },
    });
    expect((await post(direct, '/oauth2/introspect', { token: 'x' }, spoofed(1))).status).toBe(401);
    expect((await post(direct, '/oauth2/revoke', { token: 'x' }, spoofed(2))).status).toBe(401);
    expectLimited(await post(direct, '/oauth2/token', CC, spoofed(3)), 'ip', 'q=2;w=60');
  });

  it('limits other routes per IP with the default limit, with headers on every answer', async () => {
    const get = (path: string, ip: string) =>
      fetch(`${proxied.url}${path}`, { headers: { 'x-forwarded-for': ip } });
    const first = await get('/.well-known/oauth-authorization-server', '192.0.2.50');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"default";q=2;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"default";r=1;t=(29|30)$/);
    expect(remainingOf(await get('/.well-known/oauth-authorization-server', '192.0.2.50'))).toBe(0);
    const refused = await get('/.well-known/oauth-authorization-server', '192.0.2.50');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(refused.headers.get('ratelimit')).toBe(`"default";r=0;t=${retryAfter}`);
    expect(await refused.json()).toEqual({
      error: 'too_many_requests',
      error_description: `Rate limit exceeded; retry after ${retryAfter} seconds`,
    });
  });

  it('never limits the health probes and /metrics', async () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${proxied.url}${path}`, { headers: { 'x-forwarded-for': '192.0.2.60', ...headers } });
    for (let i = 0; i < 4; i++) {
      for (const path of ['/health', '/health/live', '/health/ready']) {
        const res = await get(path);
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit')).toBeNull();
      }
      const metrics = await get('/metrics', { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(metrics.status).toBe(200);
    }
  });

  it('exports every scope and decision from start-up', async () => {
    const res = await fetch(`${direct.url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const text = await res.text();
    for (const scope of ['client', 'ip', 'default', 'login']) {
      for (const decision of ['allowed', 'limited', 'fail_open', 'fail_closed']) {
        expect(text).toMatch(
          new RegExp(
            `tollgate_rate_limit_decisions_total\\{scope="${scope}",decision="${decision}"\\} \\d+`,
          ),
        );
      }
    }
  });
});

describe('while Redis is down', () => {
  const topology = useTopology({ mode: 'standalone' });
  let open: RunningApp;
  let closed: RunningApp;

  beforeAll(async () => {
    open = await startReadyApp({ ...topology().env(), ...LIMITS });
    closed = await startReadyApp({
      ...topology().env(),
      ...LIMITS,
      RATE_LIMIT_FAIL_OPEN_OAUTH: 'false',
    });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it('fails open by default (the route is served, fail_open counted) and closed when configured (503)', async () => {
    const [opened, refused] = [
      await decisions('default', 'fail_open'),
      await decisions('default', 'fail_closed'),
    ];
    await topology().stopNode(topology().dataNodes[0].port);

    // The metadata document needs no Redis: only the limiter decides here.
    const served = await fetch(`${open.url}/.well-known/oauth-authorization-server`);
    expect(served.status).toBe(200);
    expect(served.headers.get('ratelimit')).toBeNull();
    const unavailable = await fetch(`${closed.url}/.well-known/oauth-authorization-server`);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('5');
    expect(await decisions('default', 'fail_open')).toBe(opened + 1);
    expect(await decisions('default', 'fail_closed')).toBe(refused + 1);
  });
});
