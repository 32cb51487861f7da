/**
 * Log redaction over everything a deployment does, at LOG_LEVEL=trace: the admin API
 * (a client with its secret, a user with a password, a secret rotation, a password reset),
 * the browser flow (a failed then a good sign-in, consent, logout), every grant, refresh,
 * introspection, revocation, the cache API, and their error paths (wrong secrets, unknown
 * and foreign tokens, a wrong PKCE verifier, a wrong admin token, a replayed code). Every
 * line the app writes is captured, and no secret may appear in it in any form
 * (test/support/secret-forms.ts: as is, percent-encoded, base64, base64url, JSON-escaped).
 * The debug-level variant for a server process is e2e/oauth-secrecy-outage.e2e.spec.ts.
 */
import { Writable } from 'node:stream';
import { basicHeader, pkcePair, post, REDIRECT_URI } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import { leakedSecrets } from '../../support/secret-forms';
import { eventually, RunningApp, startApp } from '../../support/test-app';
import { Browser, inputValue, paramsOf } from '../authorize/browser';
import { authorizeUrl } from '../authorize/flow-support';

const ADMIN_TOKEN = 'log-redaction-admin-token-0123456789abcdef';
/** Ids unique per attempt: a retried test finds the first attempt's clients and user. */
let RUN = '';
const PASSWORD = 'Tr0ub4dor&3 correct horse';
const NEW_PASSWORD = 'a whole new pass phrase 42';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
const lines: string[] = [];
const secrets: Record<string, string> = {};

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const env = {
    ...topology().env(),
    LOG_LEVEL: 'trace',
    ADMIN_TOKEN,
    SESSION_COOKIE_SECURE: 'false',
    PASSWORD_SCRYPT_N: '1024',
  };
  running = await startApp(env, { logDestination: sink });
  await eventually(async () => (await fetch(`${running.url}/health/ready`)).ok, 15_000);
  Object.assign(secrets, { ADMIN_TOKEN, PASSWORD, NEW_PASSWORD });
});
afterAll(() => running?.close());

const keep = (label: string, value: string | undefined): string => {
  expect(value).toEqual(expect.any(String));
  secrets[label] = value!;
  return value!;
};

async function admin(method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
  const res = await fetch(`${running.url}/api/v1/admin/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json().catch(() => ({}))) as {
    client_secret?: string;
    user_id?: string;
  };
  return { status: res.status, body: answer };
}

async function registerThroughAdminApi() {
  const web = await admin('POST', 'clients', {
    client_id: `log-web-${RUN}`,
    name: 'Web',
    type: 'confidential',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes: ['openid', 'profile', 'cache:read', 'cache:write'],
    redirect_uris: [REDIRECT_URI],
    cache_services: ['orders'],
  });
  expect(web.status).toBe(201);
  keep('first client secret', web.body.client_secret);
  const rotated = await admin('POST', `clients/log-web-${RUN}/rotate-secret`, { grace_seconds: 0 });
  const secret = keep('client secret', rotated.body.client_secret);
  const rs = await admin('POST', 'clients', {
    client_id: `log-rs-${RUN}`,
    name: 'RS',
    type: 'confidential',
    grant_types: ['client_credentials'],
    scopes: ['cache:read'],
    resource_server: true,
    token_endpoint_auth_method: 'client_secret_post',
  });
  const rsSecret = keep('resource server secret', rs.body.client_secret);
  const user = await admin('POST', 'users', {
    username: `log-user-${RUN}`,
    password: 'temporary pw 123',
  });
  secrets['first password'] = 'temporary pw 123';
  expect(user.status).toBe(201);
  const reset = await admin('POST', `users/${user.body.user_id}/reset-password`, {
    password: PASSWORD,
  });
  expect(reset.status).toBe(200);
  expect((await admin('GET', 'clients', undefined, `${ADMIN_TOKEN}x`)).status).toBe(401);
  return {
    web: { id: `log-web-${RUN}`, secret },
    rs: { id: `log-rs-${RUN}`, secret: rsSecret },
    userId: user.body.user_id,
  };
}

async function browserFlow(clientId: string) {
  const browser = new Browser(running.url);
  const { verifier, challenge } = pkcePair();
  keep('code_verifier', verifier);
  const start = await browser.get(authorizeUrl({ clientId, challenge }));
  const loginPage = await browser.get(start.location!);
  const form = { interaction: inputValue(loginPage.text, 'interaction') };
  const csrf = keep('login csrf', inputValue(loginPage.text, 'csrf'));
  keep('binding cookie', browser.cookies.get('tollgate_interaction'));
  const failed = await browser.post('/login', {
    ...form,
    csrf,
    username: `log-user-${RUN}`,
    password: 'wrong pw',
  });
  expect(failed.status).toBe(401);
  const signedIn = await browser.post('/login', {
    ...form,
    csrf,
    username: `log-user-${RUN}`,
    password: PASSWORD,
  });
  expect(signedIn.status).toBe(303);
  keep('session cookie', browser.cookies.get('tollgate_session'));
  const consentPage = await browser.get(signedIn.location!);
  const consentCsrf = keep('consent csrf', inputValue(consentPage.text, 'csrf'));
  const done = await browser.post('/consent', {
    interaction: inputValue(consentPage.text, 'interaction'),
    csrf: consentCsrf,
    decision: 'allow',
  });
  const code = keep('authorization code', paramsOf(done.location).code);
  const confirm = await browser.get('/logout');
  const logoutCsrf = keep('logout csrf', inputValue(confirm.text, 'csrf'));
  await browser.post('/logout', { csrf: 'forged' });
  expect((await browser.post('/logout', { csrf: logoutCsrf })).status).toBe(200);
  return { code, verifier };
}

it('writes no secret, in any form, in any log line of a whole deployment day', async () => {
  RUN = Math.random().toString(36).slice(2, 8);
  const { web, rs } = await registerThroughAdminApi();
  keep('Basic credentials', basicHeader(web.id, web.secret).slice('Basic '.length));
  const asWeb = { basic: [web.id, web.secret] as const };
  const { code } = await browserFlow(web.id);

  // A wrong verifier first: invalid_grant, the code is spent; so redeem a second code.
  const wrongPkce = await post(
    running,
    '/oauth2/token',
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: 'x'.repeat(43),
    },
    asWeb,
  );
  expect(wrongPkce.status).toBe(400);
  const again = await browserFlow(web.id);
  const tokens = await post(
    running,
    '/oauth2/token',
    {
      grant_type: 'authorization_code',
      code: again.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: again.verifier,
    },
    asWeb,
  );
  expect(tokens.status).toBe(200);
  const first = tokens.body as { access_token: string; refresh_token: string };
  keep('access token', first.access_token);
  keep('refresh token', first.refresh_token);
  // The same code again: a replay (its tokens are revoked, a warning is logged).
  await post(
    running,
    '/oauth2/token',
    {
      grant_type: 'authorization_code',
      code: again.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: again.verifier,
    },
    asWeb,
  );

  const cc = await post(
    running,
    '/oauth2/token',
    { grant_type: 'client_credentials', scope: 'cache:read cache:write' },
    asWeb,
  );
  const cacheToken = keep('cache token', (cc.body as { access_token: string }).access_token);
  const viaSecondCode = await browserFlow(web.id);
  const pair = (
    await post(
      running,
      '/oauth2/token',
      {
        grant_type: 'authorization_code',
        code: viaSecondCode.code,
        redirect_uri: REDIRECT_URI,
        code_verifier: viaSecondCode.verifier,
      },
      asWeb,
    )
  ).body as { access_token: string; refresh_token: string };
  keep('second access token', pair.access_token);
  keep('second refresh token', pair.refresh_token);
  const refreshed = (
    await post(
      running,
      '/oauth2/token',
      { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
      asWeb,
    )
  ).body as { access_token: string; refresh_token: string };
  keep('rotated access token', refreshed.access_token);
  keep('rotated refresh token', refreshed.refresh_token);
  // Reuse of the rotated-out refresh token: the family is revoked, a warning is logged.
  await post(
    running,
    '/oauth2/token',
    { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
    asWeb,
  );

  // Error paths: wrong secrets (Basic and body), unknown tokens, a secret in the query.
  await post(
    running,
    '/oauth2/token',
    { grant_type: 'client_credentials' },
    { basic: [web.id, `${web.secret}x`] },
  );
  await post(running, '/oauth2/introspect', {
    token: cacheToken,
    client_id: rs.id,
    client_secret: `${rs.secret}x`,
  });
  await post(running, '/oauth2/introspect', {
    token: 'no-such-token-0123456789',
    client_id: rs.id,
    client_secret: rs.secret,
  });
  await post(
    running,
    `/oauth2/token?client_secret=${web.secret}&code=${code}`,
    { grant_type: 'client_credentials' },
    asWeb,
  );
  const introspected = await post(running, '/oauth2/introspect', {
    token: cacheToken,
    client_id: rs.id,
    client_secret: rs.secret,
  });
  expect(introspected.body).toMatchObject({ active: true });
  await post(running, '/oauth2/revoke', { token: refreshed.refresh_token }, asWeb);

  // The cache API with the token, in the header and (refused or not) in the query.
  const bearer = { authorization: `Bearer ${cacheToken}`, 'content-type': 'text/plain' };
  expect(
    (
      await fetch(`${running.url}/api/v1/cache/orders/k1`, {
        method: 'PUT',
        headers: bearer,
        body: 'v',
      })
    ).status,
  ).toBeLessThan(300);
  expect((await fetch(`${running.url}/api/v1/cache/orders/k1`, { headers: bearer })).status).toBe(
    200,
  );
  await fetch(`${running.url}/api/v1/cache/orders/k1?access_token=${cacheToken}`);
  await fetch(`${running.url}/api/v1/cache/orders/k1`, {
    headers: { authorization: `Bearer ${cacheToken}x` },
  });

  await eventually(() => lines.some((l) => l.includes('"url":"/api/v1/cache/orders/k1"')), 5_000);
  // The capture works at trace: request lines, the app's own warnings, several levels.
  const levels = new Set(lines.map((l) => (JSON.parse(l) as { level: number }).level));
  console.log(
    `captured ${lines.length} log lines at levels ${[...levels].sort().join(', ')}; checked ${Object.keys(secrets).length} secrets`,
  );
  expect(lines.length).toBeGreaterThan(40);
  expect(lines.some((l) => l.includes('"msg":"request completed"'))).toBe(true);
  expect(lines.some((l) => /replayed|reuse/.test(l))).toBe(true);
  expect(leakedSecrets(lines.join('\n'), secrets)).toEqual([]);
});
