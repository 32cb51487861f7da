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
  // Several flows keep secrets of the same kind: number them, keep them all.
  const taken = Object.keys(secrets).filter((k) => k === label || k.startsWith(`${label} #`));
  secrets[taken.length === 0 ? label : `${label} #${taken.length + 1}`] = value!;
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

type Pair = { access_token: string; refresh_token: string };

it('writes no secret, in any form, in any log line of a whole deployment day', async () => {
  RUN = Math.random().toString(36).slice(2, 8);
  const { web, rs } = await registerThroughAdminApi();
  keep('Basic credentials', basicHeader(web.id, web.secret).slice('Basic '.length));
  const token = (form: Record<string, string>, basic = [web.id, web.secret] as const) =>
    post(running, '/oauth2/token', form, { basic });
  const redeem = (c: { code: string; verifier: string }) =>
    token({
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: c.verifier,
    });
  const asRs = { client_id: rs.id, client_secret: rs.secret };

  // A wrong verifier (invalid_grant, the code is spent), a good redemption, then its replay
  // (its tokens are revoked, a warning is logged).
  const spent = await browserFlow(web.id);
  expect((await redeem({ ...spent, verifier: 'x'.repeat(43) })).status).toBe(400);
  const flow = await browserFlow(web.id);
  const first = (await redeem(flow)).body as Pair;
  keep('access token', first.access_token);
  keep('refresh token', first.refresh_token);
  await redeem(flow);
  // Refresh, then reuse of the rotated-out token (the family is revoked, a warning is logged).
  const pair = (await redeem(await browserFlow(web.id))).body as Pair;
  keep('second access token', pair.access_token);
  keep('second refresh token', pair.refresh_token);
  const refreshed = (
    await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token })
  ).body as Pair;
  keep('rotated access token', refreshed.access_token);
  keep('rotated refresh token', refreshed.refresh_token);
  await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token });
  const cc = await token({ grant_type: 'client_credentials', scope: 'cache:read cache:write' });
  const cacheToken = keep('cache token', (cc.body as Pair).access_token);

  // Error paths: wrong secrets (Basic and body), an unknown token, credentials in the query.
  await token({ grant_type: 'client_credentials' }, [web.id, `${web.secret}x`]);
  await post(running, '/oauth2/introspect', {
    ...asRs,
    client_secret: `${rs.secret}x`,
    token: cacheToken,
  });
  await post(running, '/oauth2/introspect', { ...asRs, token: 'no-such-token-0123456789' });
  await post(
    running,
    `/oauth2/token?client_secret=${web.secret}&code=${spent.code}`,
    { grant_type: 'client_credentials' },
    { basic: [web.id, web.secret] },
  );
  const introspected = await post(running, '/oauth2/introspect', { ...asRs, token: cacheToken });
  expect(introspected.body).toMatchObject({ active: true });
  await post(
    running,
    '/oauth2/revoke',
    { token: refreshed.refresh_token },
    { basic: [web.id, web.secret] },
  );

  // The cache API with the token in the header, a wrong one, and one in the query.
  const cache = `${running.url}/api/v1/cache/orders/k1`;
  const bearer = { authorization: `Bearer ${cacheToken}`, 'content-type': 'text/plain' };
  expect((await fetch(cache, { method: 'PUT', headers: bearer, body: 'v' })).status).toBe(201);
  expect((await fetch(cache, { headers: bearer })).status).toBe(200);
  await fetch(`${cache}?access_token=${cacheToken}`);
  await fetch(cache, { headers: { authorization: `Bearer ${cacheToken}x` } });

  await eventually(() => lines.some((l) => l.includes('"url":"/api/v1/cache/orders/k1"')), 5_000);
  // The capture works: request lines and the app's own warnings are there.
  const levels = new Set(lines.map((l) => (JSON.parse(l) as { level: number }).level));
  const checked = Object.keys(secrets).length;
  console.log(
    `${lines.length} log lines at levels ${[...levels].sort().join(', ')}; ${checked} secrets`,
  );
  expect(lines.length).toBeGreaterThan(40);
  expect(lines.some((l) => l.includes('"msg":"request completed"'))).toBe(true);
  expect(lines.some((l) => /replayed|reuse/.test(l))).toBe(true);
  expect(leakedSecrets(lines.join('\n'), secrets)).toEqual([]);
});
