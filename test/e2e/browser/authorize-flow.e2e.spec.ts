/**
 * The authorization code flow in a real browser (Debian's Chromium through playwright-core):
 * an application sends the user to /oauth2/authorize with PKCE, the user signs in and
 * consents on tollgate's pages, the application receives its code on a real loopback HTTP
 * server, redeems it, introspects, refreshes, and the user signs out. Also: a wrong password
 * shows an error and creates no session; a denied consent returns access_denied.
 *
 * TOLLGATE_SCREENSHOTS=1 refreshes docs/images/*.png from this run (test/support/browser.ts).
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import type Redis from 'ioredis';
import { UsersService } from '../../../src/users/users.service';
import { REDIS_AUTH } from '../../../src/redis/redis.tokens';
import { screenshot, useBrowser } from '../../support/browser';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { createClient, pkcePair, post, startReadyApp } from '../support/oauth-fixtures';
import { CallbackServer, startCallbackServer } from './callback-server';

const PASSWORD = 'correct horse battery staple';

describe('sign-in and consent in a real browser', () => {
  const topology = useTopology({ mode: 'standalone' });
  const browser = useBrowser();
  let running: RunningApp;
  let callback: CallbackServer;
  let redis: Redis;
  let context: BrowserContext;
  let page: Page;
  /** Console errors of the page (a style or form blocked by the CSP shows up here). */
  let consoleErrors: string[];

  beforeAll(async () => {
    callback = await startCallbackServer();
    running = await startReadyApp({
      ...topology().env(),
      // The test serves tollgate over http on loopback: the Secure cookie attribute would
      // make the browser drop the cookies (and the __Host- name requires Secure).
      SESSION_COOKIE_SECURE: 'false',
      BRAND_NAME: 'Acme Sign-in',
    });
    redis = running.app.get<Redis>(REDIS_AUTH);
  });
  afterAll(async () => {
    await running?.close();
    await callback?.close();
  });
  beforeEach(async () => {
    context = await browser().newContext();
    page = await context.newPage();
    consoleErrors = [];
    page.on('console', (message) => {
      // Browsers ask every origin for /favicon.ico; neither server has one.
      if (message.location().url.endsWith('/favicon.ico')) return;
      if (message.type() === 'error')
        consoleErrors.push(`${message.text()} ${message.location().url}`);
    });
  });
  afterEach(async () => {
    await context?.close();
  });

  /** A user and a public (PKCE-only) client whose redirect URI is the callback server. */
  async function fixture(): Promise<{ username: string; clientId: string }> {
    const username = `alice-${randomBytes(4).toString('hex')}`;
    await running.app.get(UsersService).create({ username, password: PASSWORD });
    const { id } = await createClient(running, {
      name: 'Photo Printer',
      type: 'public',
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile'],
      redirectUris: [callback.redirectUri],
    });
    return { username, clientId: id };
  }

  function authorizeUrl(clientId: string, challenge: string, state: string): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callback.redirectUri,
      scope: 'openid profile',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return `${running.url}/oauth2/authorize?${query.toString()}`;
  }

  async function signIn(username: string, password: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const sessionKeys = async (): Promise<string[]> => redis.keys('auth:session:*');

  it('signs in, consents, redeems the code with PKCE, refreshes, and signs out', async () => {
    const { username, clientId } = await fixture();
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(8).toString('hex');

    await page.goto(authorizeUrl(clientId, challenge, state));
    expect(await page.getByLabel('Username').isVisible()).toBe(true);
    await screenshot(page, 'login');
    await signIn(username, PASSWORD);

    // The consent page names the application and every requested scope.
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    const consentText = await page.textContent('body');
    expect(consentText).toContain('Photo Printer');
    expect(consentText).toContain('openid');
    expect(consentText).toContain('profile');
    await screenshot(page, 'consent');
    await page.getByRole('button', { name: 'Allow' }).click();

    const landed = await callback.next();
    expect(landed.get('state')).toBe(state);
    expect(landed.get('iss')).toBe(running.config.oauth.issuer);
    const code = landed.get('code');
    expect(code).toEqual(expect.any(String));

    const tokens = await post(running, '/oauth2/token', {
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: callback.redirectUri,
      client_id: clientId,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    const body = tokens.body as Record<string, string>;
    expect(body.scope).toBe('openid profile');

    const user = await running.app.get(UsersService).verifyPassword(username, PASSWORD);
    // The API the application calls checks the token as a resource server would.
    const api = await createClient(running, {
      grantTypes: ['client_credentials'],
      resourceServer: true,
    });
    const introspected = await post(
      running,
      '/oauth2/introspect',
      { token: body.access_token },
      { basic: [api.id, api.secret] },
    );
    expect(introspected.body).toMatchObject({
      active: true,
      sub: user?.id,
      client_id: clientId,
      scope: 'openid profile',
    });

    const refreshed = await post(running, '/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
      client_id: clientId,
    });
    expect(refreshed.status).toBe(200);
    expect((refreshed.body as Record<string, string>).access_token).not.toBe(body.access_token);

    // Sign out: a confirmation page, then the session is gone from Redis and the browser.
    expect(await sessionKeys()).not.toHaveLength(0);
    const before = (await sessionKeys()).length;
    await page.goto(`${running.url}/logout`);
    await screenshot(page, 'logout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState();
    await screenshot(page, 'logged-out');
    expect((await sessionKeys()).length).toBe(before - 1);
    const cookies = await context.cookies(running.url);
    expect(cookies.filter((c) => c.name.includes('session'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('shows an error for a wrong password and creates no session', async () => {
    const { username, clientId } = await fixture();
    const before = (await sessionKeys()).length;
    await page.goto(authorizeUrl(clientId, pkcePair().challenge, 'x'));
    await signIn(username, 'not the password');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/username or password/i);
    await screenshot(page, 'login-error');
    expect((await sessionKeys()).length).toBe(before);
    const cookies = await context.cookies(running.url);
    expect(cookies.filter((c) => c.name.includes('session'))).toEqual([]);
  });

  it('returns access_denied to the application when the user denies consent', async () => {
    const { username, clientId } = await fixture();
    await page.goto(authorizeUrl(clientId, pkcePair().challenge, 'deny-state'));
    await signIn(username, PASSWORD);
    await page.getByRole('button', { name: 'Deny' }).click();

    const landed = await callback.next();
    expect(landed.get('error')).toBe('access_denied');
    expect(landed.get('state')).toBe('deny-state');
    expect(landed.get('iss')).toBe(running.config.oauth.issuer);
    expect(landed.get('code')).toBeNull();
  });

  it('shows the error page, not a redirect, for an unregistered redirect URI', async () => {
    const { clientId } = await fixture();
    const url = authorizeUrl(clientId, pkcePair().challenge, 's').replace(
      encodeURIComponent(callback.redirectUri),
      encodeURIComponent('https://attacker.example/steal'),
    );
    const response = await page.goto(url);
    expect(response?.status()).toBe(400);
    expect(page.url().startsWith(running.url)).toBe(true);
    expect(await page.textContent('body')).toContain('invalid_request');
    await screenshot(page, 'error');
  });
});
