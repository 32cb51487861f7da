/**
 * CSRF on the consent and logout forms (the login form's missing/wrong token and another
 * browser's interaction are in authorize/authorize-flow.spec.ts): a missing token, a token of
 * another interaction or session, a cross-site post, and the replay of a used form are all
 * refused with an error page, without a redirect and without any change in Redis.
 */
import type Redis from 'ioredis';
import { REDIS_AUTH } from '../../../src/redis/redis.tokens';
import { createClient, pkcePair } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { Browser, inputValue, Page, paramsOf } from '../authorize/browser';
import { authorizeUrl, createUser, login, PASSWORD, startFlowApp } from '../authorize/flow-support';
import { authState } from './redis-snapshot';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let redis: Redis;
let client: { id: string; secret: string };

beforeAll(async () => {
  running = await startFlowApp(topology().env());
  redis = running.app.get<Redis>(REDIS_AUTH);
  client = await createClient(running);
});
afterAll(() => running?.close());

const CROSS_SITE = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

/** A signed-in browser on the consent page of a fresh authorization request. */
async function atConsent(browser = new Browser(running.url), username?: string) {
  const name = username ?? (await createUser(running)).username;
  const start = await browser.get(
    authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
  );
  const afterLogin = start.location!.startsWith('/login')
    ? await login(browser, start.location!, name)
    : start;
  const page = await browser.get(afterLogin.location!);
  expect(page.status).toBe(200);
  return {
    browser,
    username: name,
    interaction: inputValue(page.text, 'interaction'),
    csrf: inputValue(page.text, 'csrf'),
  };
}

/** A raw form post as a cross-site page would send it: `cookies` are what the browser attaches. */
async function postForm(
  path: string,
  form: Record<string, string>,
  headers: Record<string, string>,
): Promise<Page> {
  const res = await fetch(`${running.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: res.status,
    headers: res.headers,
    location: res.headers.get('location') ?? undefined,
    text: await res.text(),
    setCookies: res.headers.getSetCookie(),
  };
}

const cookieHeader = (browser: Browser) =>
  [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

function expectRefusedPage(page: Page, status = 403): void {
  expect(page.status).toBe(status);
  expect(page.location).toBeUndefined();
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.text).toContain('role="alert"');
  expect(page.setCookies).toEqual([]);
}

describe('the consent form', () => {
  it('is refused without a CSRF token, and nothing changes', async () => {
    const { browser, interaction } = await atConsent();
    const before = await authState(redis);
    expectRefusedPage(await browser.post('/consent', { interaction, decision: 'allow' }));
    expectRefusedPage(await browser.post('/consent', { interaction, csrf: '', decision: 'allow' }));
    expect(await authState(redis)).toEqual(before);
  });

  it('is refused with the token of another interaction of the same browser (two tabs)', async () => {
    const first = await atConsent();
    const second = await atConsent(first.browser, first.username);
    expect(second.interaction).not.toBe(first.interaction);
    const before = await authState(redis);
    const page = await first.browser.post('/consent', {
      interaction: second.interaction,
      csrf: first.csrf,
      decision: 'allow',
    });
    expectRefusedPage(page);
    expect(await authState(redis)).toEqual(before);
    // Each tab's own token still works afterwards.
    const done = await first.browser.post('/consent', {
      interaction: second.interaction,
      csrf: second.csrf,
      decision: 'allow',
    });
    expect(paramsOf(done.location).code).toEqual(expect.any(String));
  });

  it("is refused with another browser's (another session's) token and interaction", async () => {
    const victim = await atConsent();
    const attacker = await atConsent();
    const before = await authState(redis);
    for (const form of [
      { interaction: victim.interaction, csrf: victim.csrf },
      { interaction: victim.interaction, csrf: attacker.csrf },
      { interaction: attacker.interaction, csrf: victim.csrf },
    ]) {
      // The attacker's browser posting the victim's interaction, and the victim's browser
      // posting a form the attacker prepared.
      expectRefusedPage(await attacker.browser.post('/consent', { ...form, decision: 'allow' }));
      if (form.interaction === attacker.interaction) {
        expectRefusedPage(await victim.browser.post('/consent', { ...form, decision: 'allow' }));
      }
    }
    expect(await authState(redis)).toEqual(before);
  });

  it('is refused cross site: without cookies (SameSite=Lax), and with them but no token', async () => {
    const victim = await atConsent();
    const before = await authState(redis);
    const forged = { interaction: victim.interaction, decision: 'allow' };
    expectRefusedPage(await postForm('/consent', forged, CROSS_SITE));
    const withCookies = { ...CROSS_SITE, cookie: cookieHeader(victim.browser) };
    expectRefusedPage(await postForm('/consent', forged, withCookies));
    expectRefusedPage(await postForm('/consent', { ...forged, csrf: 'A'.repeat(43) }, withCookies));
    expect(await authState(redis)).toEqual(before);
  });

  it('is refused when the browser marks it cross-site or same-site, even with cookies and token', async () => {
    const victim = await atConsent();
    const before = await authState(redis);
    const form = { interaction: victim.interaction, csrf: victim.csrf, decision: 'allow' };
    const cookie = cookieHeader(victim.browser);
    for (const site of ['cross-site', 'same-site']) {
      const page = await postForm('/consent', form, { cookie, 'sec-fetch-site': site });
      expectRefusedPage(page);
      expect(page.text).toContain('sent from another site');
    }
    expect(await authState(redis)).toEqual(before);
    // The same post from the page itself goes through.
    const own = await postForm('/consent', form, { cookie, 'sec-fetch-site': 'same-origin' });
    expect(paramsOf(own.location).code).toEqual(expect.any(String));
  });

  it('is refused when replayed after it completed: no second code', async () => {
    const { browser, interaction, csrf } = await atConsent();
    const done = await browser.post('/consent', { interaction, csrf, decision: 'allow' });
    expect(paramsOf(done.location).code).toEqual(expect.any(String));
    const before = await authState(redis);
    for (const decision of ['allow', 'deny']) {
      const replay = await browser.post('/consent', { interaction, csrf, decision });
      expectRefusedPage(replay, 400);
      expect(replay.text).toMatch(/expired or is unknown/);
    }
    expect(await authState(redis)).toEqual(before);
  });
});

describe('the login form', () => {
  it('is refused when the browser marks it cross-site, even with the cookie and token', async () => {
    const user = await createUser(running);
    const browser = new Browser(running.url);
    const start = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    const page = await browser.get(start.location!);
    const before = await authState(redis);
    const form = {
      interaction: inputValue(page.text, 'interaction'),
      csrf: inputValue(page.text, 'csrf'),
      username: user.username,
      password: PASSWORD,
    };
    const headers = { cookie: cookieHeader(browser), 'sec-fetch-site': 'cross-site' };
    expectRefusedPage(await postForm('/login', form, headers));
    const plain = await browser.get('/login');
    const plainForm = {
      csrf: inputValue(plain.text, 'csrf'),
      username: user.username,
      password: PASSWORD,
    };
    expectRefusedPage(await postForm('/login', plainForm, headers));
    expect(await authState(redis)).toEqual(before);
  });
});

describe('the logout form', () => {
  async function signedIn() {
    const { browser } = await atConsent();
    const confirm = await browser.get('/logout');
    return { browser, csrf: inputValue(confirm.text, 'csrf') };
  }

  it('is refused without a token, with an empty one, or with a forged one', async () => {
    const { browser } = await signedIn();
    const before = await authState(redis);
    for (const form of [{}, { csrf: '' }, { csrf: 'A'.repeat(43) }] as Record<string, string>[]) {
      expectRefusedPage(await browser.post('/logout', form));
    }
    expect(await authState(redis)).toEqual(before);
    expect(browser.cookies.has('tollgate_session')).toBe(true);
  });

  it("is refused with another session's token", async () => {
    const victim = await signedIn();
    const attacker = await signedIn();
    const before = await authState(redis);
    expectRefusedPage(await victim.browser.post('/logout', { csrf: attacker.csrf }));
    expect(await authState(redis)).toEqual(before);
  });

  it('is refused cross site with the session cookie but without the token', async () => {
    const victim = await signedIn();
    const before = await authState(redis);
    const withCookies = { ...CROSS_SITE, cookie: cookieHeader(victim.browser) };
    expectRefusedPage(await postForm('/logout', {}, withCookies));
    expectRefusedPage(await postForm('/logout', { csrf: 'forged' }, withCookies));
    expect(await authState(redis)).toEqual(before);
  });

  it('is refused when the browser marks it cross-site, even with the cookie and token', async () => {
    const victim = await signedIn();
    const before = await authState(redis);
    const cookie = cookieHeader(victim.browser);
    const headers = { cookie, 'sec-fetch-site': 'cross-site' };
    expectRefusedPage(await postForm('/logout', { csrf: victim.csrf }, headers));
    expect(await authState(redis)).toEqual(before);
  });

  it('signs out once; a replay of the used form ends nothing else', async () => {
    const { browser, csrf } = await signedIn();
    const stale = cookieHeader(browser);
    const first = await browser.post('/logout', { csrf });
    expect(first.status).toBe(200);
    const other = await signedIn();
    const before = await authState(redis);
    // The old cookie and token together again (a captured form): the session is gone already.
    const replay = await postForm('/logout', { csrf }, { cookie: stale });
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('You are signed out');
    expect(await authState(redis)).toEqual(before);
    expect((await other.browser.get('/logout')).text).toContain('Sign out</button>');
  });
});
