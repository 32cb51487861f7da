/**
 * The limiter over HTTP against real Redis: per-client limits on token, introspection and
 * revocation (429 with an RFC 6749 body, Retry-After and RateLimit headers; nothing issued,
 * rotated or revoked when refused), isolation between clients, the per-IP charge of failed
 * client authentications with and without TRUST_PROXY, the default route limit, the routes
 * never limited, and failing open while Redis is down.
 */
import { TokensService } from '../../../src/tokens/tokens.service';
import {
  createClient,
  expectError,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
  startReadyApp,
} from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { decisions, remainingOf, retryAfterOf } from './rate-limit-support';

const ADMIN_TOKEN = 'admin-token-for-rate-limit-tests-0123456789';
const LIMITS = {
  ADMIN_TOKEN,
  RATE_LIMIT_CLIENT_LIMIT: '3',
  RATE_LIMIT_CLIENT_WINDOW_SECONDS: '60',
  RATE_LIMIT_IP_LIMIT: '2',
  RATE_LIMIT_IP_WINDOW_SECONDS: '60',
  RATE_LIMIT_DEFAULT_LIMIT: '2',
  RATE_LIMIT_DEFAULT_WINDOW_SECONDS: '60',
};
const CC = { grant_type: 'client_credentials' };
const LIMITED = /^Rate limit exceeded; retry after \d+ seconds$/;

function expectLimited(res: Awaited<ReturnType<typeof post>>, scope: string, quota: string): void {
  const retryAfter = retryAfterOf(res, scope);
  expectError(
    res,
    429,
    'temporarily_unavailable',
    `Rate limit exceeded; retry after ${retryAfter} seconds`,
  );
  expect(res.headers.get('ratelimit-policy')).toBe(`"${scope}";${quota}`);
}

describe('per-client limits on the OAuth endpoints', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;

  beforeAll(async () => {
    running = await startReadyApp({ ...topology().env(), ...LIMITS });
  });
  afterAll(() => running?.close());

  it('issues exactly N tokens per window, then answers 429 and issues nothing', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    for (let i = 0; i < 3; i++) {
      expect((await post(running, '/oauth2/token', CC, basic)).status).toBe(200);
    }
    const issued = (await running.app.get(TokensService).stats())['issued:client_credentials'];
    const refused = await post(running, '/oauth2/token', CC, basic);
    expectLimited(refused, 'client', 'q=3;w=60');
    expect(refused.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(LIMITED),
    });
    // 3 per 60 s: the next request is allowed 20 s after the burst.
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect((await running.app.get(TokensService).stats())['issued:client_credentials']).toBe(
      issued,
    );
  });

  it("keeps one budget per client: another client is unaffected by one client's limit", async () => {
    const a = await createClient(running);
    const b = await createClient(running);
    const basicA = { basic: [a.id, a.secret] as const };
    const basicB = { basic: [b.id, b.secret] as const };
    for (let i = 0; i < 3; i++) await post(running, '/oauth2/token', CC, basicA);
    expect((await post(running, '/oauth2/token', CC, basicA)).status).toBe(429);
    const token = await post(running, '/oauth2/token', CC, basicB);
    expect(token.status).toBe(200);
    // The budget is shared by the token, introspection and revocation endpoints.
    expectLimited(
      await post(running, '/oauth2/introspect', { token: 'x' }, basicA),
      'client',
      'q=3;w=60',
    );
    expectLimited(
      await post(running, '/oauth2/revoke', { token: 'x' }, basicA),
      'client',
      'q=3;w=60',
    );
    expect((await post(running, '/oauth2/introspect', { token: 'x' }, basicB)).status).toBe(200);
  });

  it('sends RateLimit-Policy and RateLimit on allowed introspections', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const first = await post(running, '/oauth2/introspect', { token: 'x' }, basic);
    const second = await post(running, '/oauth2/introspect', { token: 'x' }, basic);
    expect(first.body).toEqual({ active: false });
    expect(first.headers.get('ratelimit-policy')).toBe('"client";q=3;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"client";r=2;t=(19|20)$/);
    expect(remainingOf(second)).toBe(1);
  });

  it('refuses a refresh over the limit without rotating the refresh token', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(running, client.id, challenge);
    const grant = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
    const issued = await post(
      running,
      '/oauth2/token',
      { ...grant, code_verifier: verifier },
      basic,
    );
    const refreshToken = (issued.body as { refresh_token: string }).refresh_token;
    for (let i = 0; i < 2; i++) await post(running, '/oauth2/token', CC, basic);
    const refused = await post(
      running,
      '/oauth2/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      basic,
    );
    expectLimited(refused, 'client', 'q=3;w=60');
    // Not rotated: still active (looked up without charging the client).
    const info = await running.app.get(TokensService).introspect(refreshToken);
    expect(info?.kind).toBe('refresh_token');
  });

  it('does not revoke a token when the revocation is refused', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const access = (
      (await post(running, '/oauth2/token', CC, basic)).body as { access_token: string }
    ).access_token;
    for (let i = 0; i < 2; i++) await post(running, '/oauth2/token', CC, basic);
    expect((await post(running, '/oauth2/revoke', { token: access }, basic)).status).toBe(429);
    expect(await running.app.get(TokensService).introspect(access)).not.toBeNull();
  });

  it('counts allowed and limited per-client decisions', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const [allowed, limited] = [
      await decisions('client', 'allowed'),
      await decisions('client', 'limited'),
    ];
    await post(running, '/oauth2/token', CC, basic);
    await post(running, '/oauth2/introspect', { token: 'x' }, basic);
    await post(running, '/oauth2/revoke', { token: 'x' }, basic);
    await post(running, '/oauth2/token', CC, basic);
    expect(await decisions('client', 'allowed')).toBe(allowed + 3);
    expect(await decisions('client', 'limited')).toBe(limited + 1);
  });
});

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
