import { keys } from '../../../src/redis/keys';
import { sha256Hex } from '../../../src/security/secrets';
import { REDIS_AUTH } from '../../../src/redis/redis.tokens';
import type Redis from 'ioredis';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { createClient, pkcePair, post, REDIRECT_URI } from '../../e2e/support/oauth-fixtures';
import { Browser, inputValue, paramsOf } from './browser';
import {
  ADMIN_TOKEN,
  authorizeUrl,
  consent,
  createUser,
  login,
  obtainCode,
  redeem,
  startFlowApp,
} from './flow-support';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let redis: Redis;
let client: { id: string; secret: string };
let resourceServer: { id: string; secret: string };

beforeAll(async () => {
  running = await startFlowApp({
    ...topology().env(),
    // Only openid is described: profile shows its bare name.
    OAUTH_SCOPE_DESCRIPTIONS: JSON.stringify({ openid: 'Know who you are <b>&</b>' }),
  });
  redis = running.app.get<Redis>(REDIS_AUTH);
  client = await createClient(running);
  resourceServer = await createClient(running, {
    grantTypes: ['client_credentials'],
    resourceServer: true,
  });
});
afterAll(() => running?.close());

const introspect = async (token: string) =>
  (
    await post(
      running,
      '/oauth2/introspect',
      { token },
      { basic: [resourceServer.id, resourceServer.secret] },
    )
  ).body as Record<string, unknown>;
const sessionKeys = () => redis.keys(keys.session('*'));
const admin = (method: string, path: string) =>
  fetch(`${running.url}/api/v1/admin/users/${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });

describe('sign-in and consent', () => {
  it('sends a browser without a session to the login page, bound by a cookie', async () => {
    const browser = new Browser(running.url);
    const res = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/login\?interaction=[A-Za-z0-9_-]{43}$/);
    const cookie = res.setCookies.find((c) => c.startsWith('tollgate_interaction='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=600/);
    const page = await browser.get(res.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="username">');
    expect(page.text).toContain('<label for="password">');
    expect(page.text).toContain('<button type="submit">Sign in</button>');
    expect(page.text).toContain('e2e client');
    const id = new URLSearchParams(res.location!.split('?')[1]).get('interaction')!;
    expect(await redis.ttl(keys.interaction(sha256Hex(id)))).toBeGreaterThan(590);
  });

  it('refuses a wrong password: the form again with an error, and no session', async () => {
    const user = await createUser(running);
    const browser = new Browser(running.url);
    const start = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    const before = (await sessionKeys()).length;
    const res = await login(browser, start.location!, user.username, 'wrong password!!');
    expect(res.status).toBe(401);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('aria-describedby="login-error"');
    expect(res.text).toContain(`value="${user.username}"`);
    expect(res.setCookies.some((c) => c.startsWith('tollgate_session='))).toBe(false);
    expect((await sessionKeys()).length).toBe(before);
  });

  it('logs in, asks for consent, and returns a code that redeems for tokens of that user', async () => {
    const user = await createUser(running);
    const browser = new Browser(running.url);
    const { verifier, challenge } = pkcePair();
    const start = await browser.get(authorizeUrl({ clientId: client.id, challenge }));
    const afterLogin = await login(browser, start.location!, user.username);
    expect(afterLogin.status).toBe(303);
    expect(afterLogin.location).toBe(start.location!.replace('/login', '/consent'));
    expect(afterLogin.setCookies.find((c) => c.startsWith('tollgate_session='))).toMatch(
      /HttpOnly/,
    );
    const page = await browser.get(afterLogin.location!);
    const scopes = [...page.text.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
      m[1].replace(/\s+/g, ' ').trim(),
    );
    expect(scopes).toEqual([
      '<code>openid</code> &ndash; <span class="scope-description">' +
        'Know who you are &lt;b&gt;&amp;&lt;/b&gt;</span>',
      '<code>profile</code>',
    ]);
    expect(page.text).toMatch(/<button[^>]*value="allow">Allow<\/button>/);
    expect(page.text).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
    expect(page.text).toContain('name="remember"');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("form-action 'self' https://app.example.com");
    const done = await browser.post('/consent', {
      interaction: inputValue(page.text, 'interaction'),
      csrf: inputValue(page.text, 'csrf'),
      decision: 'allow',
    });
    expect(done.status).toBe(303);
    const params = paramsOf(done.location);
    expect(done.location!.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect(params).toMatchObject({ state: 'st-123', iss: running.config.oauth.issuer });
    expect(params.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await redis.keys(keys.code('*'));
    expect(stored.some((k) => k.includes(params.code))).toBe(false);

    const tokens = await redeem(running, client, params.code, verifier);
    expect(tokens.status).toBe(200);
    const body = tokens.body as Record<string, string>;
    expect(body.scope).toBe('openid profile');
    expect(await introspect(body.access_token)).toMatchObject({
      active: true,
      sub: user.id,
      scope: 'openid profile',
      client_id: client.id,
    });
    // The interaction is completed: submitting the consent again is refused.
    const again = await browser.get(afterLogin.location!);
    expect(again.status).toBe(400);
  });

  it('answers access_denied with state and iss when the user denies', async () => {
    const user = await createUser(running);
    const browser = new Browser(running.url);
    const start = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    const afterLogin = await login(browser, start.location!, user.username);
    const denied = await consent(browser, afterLogin.location!, 'deny');
    expect(paramsOf(denied.location)).toMatchObject({
      error: 'access_denied',
      state: 'st-123',
      iss: running.config.oauth.issuer,
    });
  });

  it('skips a remembered consent, and asks again once an admin revokes it', async () => {
    const user = await createUser(running);
    const first = await obtainCode(running, client.id, user.username, { remember: true });
    const tokens = (await redeem(running, client, first.code, first.verifier)).body as Record<
      string,
      string
    >;
    const again = await first.browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    expect(again.status).toBe(303);
    expect(paramsOf(again.location).code).toBeDefined();

    const listed = await admin('GET', `${user.id}/consents`);
    expect(await listed.json()).toEqual({ consents: { [client.id]: ['openid', 'profile'] } });
    const revoked = await admin('DELETE', `${user.id}/consents/${client.id}`);
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    expect((await admin('DELETE', `${user.id}/consents/${client.id}`)).status).toBe(404);

    const asked = await first.browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    expect(asked.location).toMatch(/^\/consent\?interaction=/);
  });

  it('forgets a deleted user’s consents', async () => {
    const user = await createUser(running);
    await obtainCode(running, client.id, user.username, { remember: true });
    expect(await redis.exists(keys.consent(user.id))).toBe(1);
    expect((await admin('DELETE', user.id)).status).toBeLessThan(300);
    expect(await redis.exists(keys.consent(user.id))).toBe(0);
  });
});

describe('prompt and max_age', () => {
  it('prompt=none without a session: login_required, redirected with state and iss', async () => {
    const res = await new Browser(running.url).get(
      authorizeUrl({
        clientId: client.id,
        challenge: pkcePair().challenge,
        extra: { prompt: 'none' },
      }),
    );
    expect(paramsOf(res.location)).toMatchObject({
      error: 'login_required',
      state: 'st-123',
      iss: running.config.oauth.issuer,
    });
  });

  it('prompt=none with a session but no consent: consent_required; with consent: a code', async () => {
    const user = await createUser(running);
    const other = await createClient(running);
    const { browser } = await obtainCode(running, client.id, user.username, { remember: true });
    const none = { prompt: 'none' };
    const res = await browser.get(
      authorizeUrl({ clientId: other.id, challenge: pkcePair().challenge, extra: none }),
    );
    expect(paramsOf(res.location)).toMatchObject({ error: 'consent_required', state: 'st-123' });
    const ok = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge, extra: none }),
    );
    expect(paramsOf(ok.location).code).toBeDefined();
  });

  it('prompt=login asks to sign in again, then does not loop', async () => {
    const user = await createUser(running);
    const { browser } = await obtainCode(running, client.id, user.username, { remember: true });
    const sessionBefore = browser.cookies.get('tollgate_session');
    const res = await browser.get(
      authorizeUrl({
        clientId: client.id,
        challenge: pkcePair().challenge,
        extra: { prompt: 'login' },
      }),
    );
    expect(res.location).toMatch(/^\/login\?interaction=/);
    // Skipping the login page: the consent post sends the browser back to sign in.
    const skipped = await consent(browser, res.location!.replace('/login', '/consent'), 'allow');
    expect(skipped.location).toBe(res.location);
    const after = await login(browser, res.location!, user.username);
    expect(after.status).toBe(303);
    expect(paramsOf(after.location).code).toBeDefined();
    // The new session replaced the old one (no fixation, no stale session).
    expect(browser.cookies.get('tollgate_session')).not.toBe(sessionBefore);
    const old = new Browser(running.url);
    old.cookies.set('tollgate_session', sessionBefore!);
    const stale = await old.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    expect(stale.location).toMatch(/^\/login/);
  });

  it('max_age: an older sign-in must be repeated; prompt=none then gives login_required', async () => {
    const user = await createUser(running);
    const { browser } = await obtainCode(running, client.id, user.username, { remember: true });
    await new Promise((r) => setTimeout(r, 2100));
    const fresh = await browser.get(
      authorizeUrl({
        clientId: client.id,
        challenge: pkcePair().challenge,
        extra: { max_age: '60' },
      }),
    );
    expect(paramsOf(fresh.location).code).toBeDefined();
    const stale = await browser.get(
      authorizeUrl({
        clientId: client.id,
        challenge: pkcePair().challenge,
        extra: { max_age: '1' },
      }),
    );
    expect(stale.location).toMatch(/^\/login\?interaction=/);
    const after = await login(browser, stale.location!, user.username);
    expect(paramsOf(after.location).code).toBeDefined();
    await new Promise((r) => setTimeout(r, 2100));
    const none = await browser.get(
      authorizeUrl({
        clientId: client.id,
        challenge: pkcePair().challenge,
        extra: { max_age: '1', prompt: 'none' },
      }),
    );
    expect(paramsOf(none.location)).toMatchObject({ error: 'login_required' });
  });
});

describe('CSRF and browser binding', () => {
  async function loginPage() {
    const browser = new Browser(running.url);
    const start = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    const page = await browser.get(start.location!);
    return { browser, location: start.location!, page };
  }

  it('refuses a login post with a missing or wrong CSRF token (403), creating no session', async () => {
    const user = await createUser(running);
    const { browser, page } = await loginPage();
    const interaction = inputValue(page.text, 'interaction');
    const before = (await sessionKeys()).length;
    for (const csrf of [undefined, 'x'.repeat(43)]) {
      const res = await browser.post('/login', {
        interaction,
        ...(csrf ? { csrf } : {}),
        username: user.username,
        password: 'correct horse battery staple',
      });
      expect(res.status).toBe(403);
      expect(res.text).toContain('role="alert"');
    }
    expect((await sessionKeys()).length).toBe(before);
  });

  it('refuses another browser’s interaction, even with its CSRF token', async () => {
    const { page, location } = await loginPage();
    const thief = new Browser(running.url);
    expect((await thief.get(location)).status).toBe(403);
    const res = await thief.post('/login', {
      interaction: inputValue(page.text, 'interaction'),
      csrf: inputValue(page.text, 'csrf'),
      username: 'x',
      password: 'y',
    });
    expect(res.status).toBe(403);
  });

  it('refuses a consent post with a wrong CSRF token', async () => {
    const user = await createUser(running);
    const { browser, location } = await loginPage();
    const afterLogin = await login(browser, location, user.username);
    const page = await browser.get(afterLogin.location!);
    const res = await browser.post('/consent', {
      interaction: inputValue(page.text, 'interaction'),
      csrf: 'wrong',
      decision: 'allow',
    });
    expect(res.status).toBe(403);
    expect(res.location).toBeUndefined();
  });

  it('shows an unknown or expired interaction on the error page', async () => {
    const browser = new Browser(running.url);
    for (const path of ['/login?interaction=nope', `/consent?interaction=${'a'.repeat(43)}`]) {
      const res = await browser.get(path);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/expired or is unknown/);
    }
    const { browser: b, location } = await loginPage();
    const id = new URLSearchParams(location.split('?')[1]).get('interaction')!;
    const digest = sha256Hex(id);
    await redis.del(keys.interaction(digest)); // as if its TTL ran out
    const res = await b.get(location);
    expect(res.status).toBe(400);
  });
});

describe('logout', () => {
  it('asks on GET, ends the session on a CSRF-checked POST and clears the cookie', async () => {
    const user = await createUser(running);
    const { browser } = await obtainCode(running, client.id, user.username);
    const confirm = await browser.get('/logout');
    expect(confirm.text).toContain('<button type="submit">Sign out</button>');
    expect((await browser.post('/logout', { csrf: 'forged' })).status).toBe(403);
    const res = await browser.post('/logout', { csrf: inputValue(confirm.text, 'csrf') });
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are signed out');
    expect(res.setCookies.some((c) => c.startsWith('tollgate_session=;'))).toBe(true);
    expect(browser.cookies.has('tollgate_session')).toBe(false);
    const next = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    expect(next.location).toMatch(/^\/login/);
  });
});
