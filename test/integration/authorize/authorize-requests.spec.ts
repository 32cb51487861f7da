import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { createClient, pkcePair, REDIRECT_URI } from '../../e2e/support/oauth-fixtures';
import { Browser, paramsOf } from './browser';
import { authorizeUrl, startFlowApp } from './flow-support';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let client: { id: string; secret: string };

beforeAll(async () => {
  running = await startFlowApp(topology().env());
  client = await createClient(running);
});
afterAll(() => running?.close());

const { challenge } = pkcePair();
const open = (path: string) => new Browser(running.url).get(path);

function expectErrorPage(page: { status: number; location?: string; text: string }, text: RegExp) {
  expect(page.status).toBe(400);
  expect(page.location).toBeUndefined();
  expect(page.text).toMatch(/<html lang="en">/);
  expect(page.text).toMatch(text);
}

describe('GET /oauth2/authorize: errors shown on the error page, never redirected', () => {
  it('for an unknown client', async () => {
    const page = await open(authorizeUrl({ clientId: 'no-such-client', challenge }));
    expectErrorPage(page, /The client is unknown/);
    expect(page.text).toContain('<code>invalid_request</code>');
  });

  it('for a redirect_uri that is not registered, or only a prefix of one', async () => {
    for (const uri of ['https://evil.example/cb', `${REDIRECT_URI}/more`, `${REDIRECT_URI}?x=1`]) {
      const page = await open(
        authorizeUrl({ clientId: client.id, challenge, extra: { redirect_uri: uri } }),
      );
      expectErrorPage(page, /redirect_uri is not registered/);
    }
  });

  it('for a duplicated client_id', async () => {
    const page = await open(
      `${authorizeUrl({ clientId: client.id, challenge })}&client_id=${client.id}`,
    );
    expectErrorPage(page, /client_id is included more than once/);
  });

  it('escapes what it echoes and sends a strict CSP with no script allowed', async () => {
    const page = await open(authorizeUrl({ clientId: '<script>x</script>', challenge }));
    expect(page.text).not.toContain('<script>');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });
});

describe('redirect_uri matching', () => {
  it('uses the only registered URI when redirect_uri is omitted', async () => {
    const page = await open(
      authorizeUrl({ clientId: client.id, challenge, omit: ['redirect_uri'] }),
    );
    expect(page.status).toBe(303);
    expect(page.location).toMatch(/^\/login\?interaction=/);
  });

  it('lets a public client vary the loopback port (RFC 8252 section 7.3), not a confidential one', async () => {
    const loopback = { redirectUris: ['http://127.0.0.1/cb', 'http://[::1]:8080/cb'] };
    const native = await createClient(running, {
      ...loopback,
      type: 'public',
      grantTypes: ['authorization_code'],
    });
    const web = await createClient(running, loopback);
    for (const uri of ['http://127.0.0.1:53123/cb', 'http://[::1]:1234/cb']) {
      const extra = { redirect_uri: uri };
      expect((await open(authorizeUrl({ clientId: native.id, challenge, extra }))).status).toBe(
        303,
      );
      expectErrorPage(
        await open(authorizeUrl({ clientId: web.id, challenge, extra })),
        /redirect_uri is not registered/,
      );
    }
    const otherPath = { redirect_uri: 'http://127.0.0.1:53123/other' };
    expectErrorPage(
      await open(authorizeUrl({ clientId: native.id, challenge, extra: otherPath })),
      /not registered/,
    );
  });
});

describe('errors redirected to the client with state and iss (RFC 6749 4.1.2.1, RFC 9207)', () => {
  const cases: Array<[string, Record<string, string>, string[], string, RegExp]> = [
    [
      'unsupported response_type',
      { response_type: 'token' },
      [],
      'unsupported_response_type',
      /code/,
    ],
    [
      'missing code_challenge',
      {},
      ['code_challenge'],
      'invalid_request',
      /code_challenge is required/,
    ],
    ['plain PKCE', { code_challenge_method: 'plain' }, [], 'invalid_request', /S256/],
    [
      'omitted PKCE method (plain by default)',
      {},
      ['code_challenge_method'],
      'invalid_request',
      /S256/,
    ],
    ['a short code_challenge', { code_challenge: 'abc' }, [], 'invalid_request', /43-128/],
    ['a scope the client lacks', { scope: 'openid admin' }, [], 'invalid_scope', /admin/],
    ['an unknown prompt', { prompt: 'select_account' }, [], 'invalid_request', /prompt/],
    ['a bad max_age', { max_age: '-1' }, [], 'invalid_request', /max_age/],
  ];
  it.each(cases)('for %s', async (_name, extra, omit, error, description) => {
    const page = await open(authorizeUrl({ clientId: client.id, challenge, extra, omit }));
    expect(page.status).toBe(303);
    expect(page.location!.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const params = paramsOf(page.location);
    expect(params).toMatchObject({ error, state: 'st-123', iss: running.config.oauth.issuer });
    expect(params.error_description).toMatch(description);
  });

  it('for a duplicated parameter', async () => {
    const page = await open(`${authorizeUrl({ clientId: client.id, challenge })}&scope=openid`);
    expect(paramsOf(page.location)).toMatchObject({
      error: 'invalid_request',
      error_description: 'Parameter scope is included more than once',
      state: 'st-123',
      iss: running.config.oauth.issuer,
    });
  });
});

describe('POST /oauth2/authorize (RFC 6749 section 3.1)', () => {
  it('takes the same request as a form', async () => {
    const query = authorizeUrl({ clientId: client.id, challenge }).split('?')[1];
    const res = await fetch(`${running.url}/oauth2/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: query,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login\?interaction=[A-Za-z0-9_-]{43}$/);
  });
});

describe('metadata', () => {
  it('advertises the authorization endpoint, S256 and the iss response parameter', async () => {
    const res = await fetch(`${running.url}/.well-known/oauth-authorization-server`);
    expect(await res.json()).toMatchObject({
      authorization_endpoint: `${running.config.oauth.issuer}/oauth2/authorize`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: expect.arrayContaining(['authorization_code']),
    });
  });
});
