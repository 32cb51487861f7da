/** Shared set-up of the authorize-flow suites: app, users, clients, request URLs. */
import { randomBytes } from 'node:crypto';
import { UsersService } from '../../../src/users/users.service';
import { pkcePair, post, REDIRECT_URI, startReadyApp } from '../../e2e/support/oauth-fixtures';
import type { RunningApp } from '../../support/test-app';
import { Browser, inputValue, paramsOf } from './browser';

export const ADMIN_TOKEN = 'admin-token-for-authorize-tests-0123456789';
export const PASSWORD = 'correct horse battery staple';

export function startFlowApp(env: Record<string, string>): Promise<RunningApp> {
  return startReadyApp({
    ...env,
    SESSION_COOKIE_SECURE: 'false',
    PASSWORD_SCRYPT_N: '1024',
    ADMIN_TOKEN,
  });
}

export async function createUser(app: RunningApp): Promise<{ id: string; username: string }> {
  const username = `user-${randomBytes(4).toString('hex')}`;
  const user = await app.app.get(UsersService).create({ username, password: PASSWORD });
  return { id: user.id, username };
}

export interface AuthorizeParams {
  readonly clientId: string;
  readonly challenge: string;
  readonly extra?: Record<string, string>;
  readonly omit?: readonly string[];
}

/** An authorization request URL (PKCE S256, state, scope openid profile). */
export function authorizeUrl(p: AuthorizeParams): string {
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    state: 'st-123',
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    ...p.extra,
  };
  for (const name of p.omit ?? []) delete params[name];
  return `/oauth2/authorize?${new URLSearchParams(params)}`;
}

/** Posts the login form of the page at `loginLocation`. */
export async function login(
  browser: Browser,
  loginLocation: string,
  username: string,
  password = PASSWORD,
) {
  const page = await browser.get(loginLocation);
  expect(page.status).toBe(200);
  return browser.post('/login', {
    interaction: inputValue(page.text, 'interaction'),
    csrf: inputValue(page.text, 'csrf'),
    username,
    password,
  });
}

/** Posts the consent form of the page at `consentLocation`. */
export async function consent(
  browser: Browser,
  consentLocation: string,
  decision: 'allow' | 'deny',
  remember = false,
) {
  const page = await browser.get(consentLocation);
  expect(page.status).toBe(200);
  return browser.post('/consent', {
    interaction: inputValue(page.text, 'interaction'),
    csrf: inputValue(page.text, 'csrf'),
    decision,
    ...(remember ? { remember: 'on' } : {}),
  });
}

/** The whole flow for a fresh browser: authorize -> login -> consent (allow) -> code. */
export async function obtainCode(
  app: RunningApp,
  clientId: string,
  username: string,
  options: { remember?: boolean; browser?: Browser; withoutPkce?: boolean } = {},
): Promise<{ code: string; verifier: string; browser: Browser }> {
  const browser = options.browser ?? new Browser(app.url);
  const { verifier, challenge } = pkcePair();
  const omit = options.withoutPkce ? ['code_challenge', 'code_challenge_method'] : [];
  const start = await browser.get(authorizeUrl({ clientId, challenge, omit }));
  const afterLogin = await login(browser, start.location!, username);
  const done = await consent(browser, afterLogin.location!, 'allow', options.remember);
  return { code: paramsOf(done.location).code, verifier, browser };
}

/** The token request for `code`; `verifier` undefined sends no code_verifier. */
export function redeem(
  app: RunningApp,
  client: { id: string; secret: string },
  code: string,
  verifier: string | undefined,
) {
  return post(
    app,
    '/oauth2/token',
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      ...(verifier === undefined ? {} : { code_verifier: verifier }),
    },
    { basic: [client.id, client.secret] },
  );
}
