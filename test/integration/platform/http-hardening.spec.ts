/**
 * The main listener against slow, oversized and malformed requests: timeouts and the
 * connection limit close what would otherwise tie the server up, and every answer, whoever
 * produced it (Node, Fastify, Nest, an OAuth endpoint), has the one error shape and the
 * security headers.
 */
import { useTopology } from '../../support/redis-topology';
import { RunningApp, startApp } from '../../support/test-app';
import { openSocket, rawExchange, rawJson } from './raw-http';

const ADMIN_TOKEN = 'hardening-admin-token-0123456789abcdef0123';
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

function expectSecurityHeaders(headers: Headers | string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (typeof headers === 'string')
      expect(headers.toLowerCase()).toContain(`${name}: ${value.toLowerCase()}`);
    else expect(headers.get(name)).toBe(value);
  }
}

describe('HTTP hardening of the main listener', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({
      ...topology().env(),
      ADMIN_TOKEN,
      HTTP_REQUEST_TIMEOUT_MS: '500',
      HTTP_HEADERS_TIMEOUT_MS: '400',
      HTTP_MAX_CONNECTIONS: '3',
    });
  });
  afterAll(() => running.close());

  describe('slow and excess connections', () => {
    it('cuts off a request whose body stops half way, with 408, within the request timeout', async () => {
      const answer = await rawExchange(
        running.url,
        'POST /oauth2/token HTTP/1.1\r\nHost: x\r\n' +
          'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n' +
          'grant_type=client_credentials&scope=',
        5_000,
      );
      expect(answer.closedAfterMs).toBeLessThan(2_000);
      expect(answer.status).toBe(408);
      expect(rawJson(answer)).toEqual({
        error: 'invalid_request',
        error_description: 'the request did not arrive in time',
      });
    });

    it('cuts off a client that never finishes its headers', async () => {
      const answer = await rawExchange(running.url, 'GET /health HTTP/1.1\r\nHost: x\r\n', 5_000);
      expect(answer.closedAfterMs).toBeLessThan(2_000);
    });

    it('refuses connections beyond HTTP_MAX_CONNECTIONS', async () => {
      const held = await Promise.all([1, 2, 3].map(() => openSocket(running.url)));
      try {
        const refused = await rawExchange(
          running.url,
          'GET /health HTTP/1.1\r\nHost: x\r\n\r\n',
          3_000,
        );
        expect(refused.text).toBe('');
      } finally {
        held.forEach((s) => s.destroy());
      }
      await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${running.url}/health`)).status).toBe(200);
    });
  });

  describe('error shapes', () => {
    it('answers deeply nested JSON on the admin API with 400 invalid_request, not a 500', async () => {
      const body = '{"name":' + '['.repeat(1500) + ']'.repeat(1500) + '}';
      const res = await fetch(`${running.url}/api/v1/admin/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: 'JSON body nests deeper than 32 levels',
      });
    });

    it('answers an over-long path parameter with 414 in the error shape', async () => {
      const res = await fetch(`${running.url}/api/v1/admin/clients/${'a'.repeat(600)}`);
      expect(res.status).toBe(414);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: 'a path segment is too long',
      });
      expectSecurityHeaders(res.headers);
    });

    it('answers a malformed URL with 400 in the error shape, without echoing it', async () => {
      const answer = await rawExchange(
        running.url,
        'GET /api/v1/admin/clients/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      expect(answer.status).toBe(400);
      expect(rawJson(answer)).toEqual({
        error: 'invalid_request',
        error_description: 'malformed URL',
      });
      expectSecurityHeaders(answer.text);
    });

    it('answers oversized headers with 431 in the error shape', async () => {
      const answer = await rawExchange(
        running.url,
        `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      );
      expect(answer.status).toBe(431);
      expect(rawJson(answer)).toEqual({
        error: 'invalid_request',
        error_description: 'request headers (or the URL) too large',
      });
      expectSecurityHeaders(answer.text);
    });

    it('answers a wrong method on an existing path with 405 and Allow', async () => {
      const res = await fetch(`${running.url}/oauth2/token`);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toEqual({
        error: 'method_not_allowed',
        error_description: 'GET is not allowed here; allowed: POST',
      });
      const admin = await fetch(`${running.url}/api/v1/admin/clients/abc`, { method: 'PUT' });
      expect(admin.status).toBe(405);
      expect(admin.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
    });

    it('answers an unknown path with 404 without echoing its query string', async () => {
      const res = await fetch(`${running.url}/no/such/route?access_token=s3cr3t`);
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(text).not.toContain('s3cr3t');
      expect(JSON.parse(text)).toEqual({
        error: 'not_found',
        error_description: 'Cannot GET /no/such/route',
      });
    });
  });

  describe('security headers', () => {
    it.each([
      ['an OAuth error', '/oauth2/token', { method: 'POST' }],
      ['a 404', '/nowhere', {}],
      ['metadata', '/.well-known/oauth-authorization-server', {}],
      ['a probe', '/health/live', {}],
    ])('are on %s', async (_what, path, init) => {
      const res = await fetch(`${running.url}${path}`, init);
      expectSecurityHeaders(res.headers);
      expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
      // The issuer is http here: HSTS would be meaningless and is not sent.
      expect(res.headers.get('strict-transport-security')).toBeNull();
    });
  });
});

describe('HSTS', () => {
  const topology = useTopology({ mode: 'standalone' });

  it('is sent when the issuer is https', async () => {
    const running = await startApp({ ...topology().env(), ISSUER: 'https://auth.example.com' });
    try {
      const res = await fetch(`${running.url}/health/live`);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await running.close();
    }
  });
});
