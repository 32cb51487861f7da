/**
 * The valid parts a hostile request is built around, so requests get past the first
 * validator: registered clients and their secrets, a live access token, a refresh token, a
 * fresh authorization code, a user, a pending login and consent (interaction id, CSRF token,
 * binding and session cookies), a cached entry. Arbitraries name them (`{ ref: 'clientId' }`);
 * they are looked up when the request is sent, so a part a request used up can be renewed.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { keys } from '../../../src/redis/keys';
import { REDIS_AUTH, REDIS_CACHE } from '../../../src/redis/redis.tokens';
import { sha256Hex } from '../../../src/security/secrets';
import { UsersService } from '../../../src/users/users.service';
import {
  createClient,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
} from '../../e2e/support/oauth-fixtures';
import { Browser, inputValue, paramsOf } from '../authorize/browser';
import { authorizeUrl, PASSWORD } from '../authorize/flow-support';
import type { RunningApp } from '../../support/test-app';

export const ADMIN_TOKEN = 'admin-token-for-the-hostile-input-suite-0123';
export const CACHE_SERVICE = 'svc';

export const REFS = [
  'clientId',
  'clientSecret',
  'postClientId',
  'postClientSecret',
  'publicClientId',
  'rsId',
  'rsSecret',
  'accessToken',
  'refreshToken',
  'code',
  'codeVerifier',
  'redirectUri',
  'username',
  'userId',
  'loginInteraction',
  'loginCsrf',
  'consentInteraction',
  'consentCsrf',
  'bindingCookie',
  'sessionCookie',
  'sessionHandle',
  'cacheService',
  'cacheKey',
  'adminToken',
  'victimClientId',
  'victimUserId',
] as const;
export type Ref = (typeof REFS)[number];

export class HostileWorld {
  private readonly values = new Map<Ref, string>();
  readonly auth: Redis;
  readonly cache: Redis;

  constructor(readonly app: RunningApp) {
    this.auth = app.app.get<Redis>(REDIS_AUTH);
    this.cache = app.app.get<Redis>(REDIS_CACHE);
  }

  get(ref: Ref): string {
    const value = this.values.get(ref);
    if (value === undefined) throw new Error(`fixture ${ref} was not set up`);
    return value;
  }

  async setUp(): Promise<void> {
    const basic = await createClient(this.app, {
      scopes: ['openid', 'profile', 'cache:read', 'cache:write'],
      cacheServices: [CACHE_SERVICE],
    });
    const postClient = await createClient(this.app, {
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    const publicClient = await createClient(this.app, {
      type: 'public',
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    const rs = await createClient(this.app, {
      grantTypes: ['client_credentials'],
      resourceServer: true,
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    const victim = await createClient(this.app, { grantTypes: ['client_credentials'] });
    const username = `hostile-${randomBytes(4).toString('hex')}`;
    const users = this.app.app.get(UsersService);
    const user = await users.create({ username, password: PASSWORD });
    const victimUser = await users.create({ username: `${username}-victim`, password: PASSWORD });
    this.set({
      clientId: basic.id,
      clientSecret: basic.secret,
      postClientId: postClient.id,
      postClientSecret: postClient.secret,
      publicClientId: publicClient.id,
      rsId: rs.id,
      rsSecret: rs.secret,
      redirectUri: REDIRECT_URI,
      username,
      userId: user.id,
      cacheService: CACHE_SERVICE,
      cacheKey: 'known-entry',
      adminToken: ADMIN_TOKEN,
      victimClientId: victim.id,
      victimUserId: victimUser.id,
    });
    await this.renewTokens();
    await this.renewCode();
    await this.renewBrowserFlows();
    await this.putCacheEntry();
  }

  /**
   * A live cache-scoped access token of the basic client, and an unused refresh token of the
   * client_secret_post client (whose requests need no Authorization header, so complete
   * valid requests are easy to generate).
   */
  async renewTokens(): Promise<void> {
    const basic: [string, string] = [this.get('clientId'), this.get('clientSecret')];
    const cc = await post(
      this.app,
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'cache:read cache:write' },
      { basic },
    );
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(this.app, this.get('postClientId'), challenge);
    const redeemed = await post(this.app, '/oauth2/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: this.get('postClientId'),
      client_secret: this.get('postClientSecret'),
    });
    this.set({
      accessToken: tokenOf(cc.body, 'access_token'),
      refreshToken: tokenOf(redeemed.body, 'refresh_token'),
    });
  }

  /** A fresh code: the first presentation spends a code, even a rejected one (redeemCode-8.lua). */
  async renewCode(): Promise<void> {
    // The last run's code is spent or unused: drop it, so a long run (one code per token
    // request) does not grow the data set every snapshot reads.
    if (this.values.has('code')) await this.auth.del(keys.code(sha256Hex(this.get('code'))));
    const { verifier, challenge } = pkcePair();
    this.set({
      code: await mintCode(this.app, this.get('postClientId'), challenge),
      codeVerifier: verifier,
    });
  }

  /** Key of the current code, which a rejected token request may mark used. */
  codeKey(): string {
    return `0:${keys.code(sha256Hex(this.get('code')))}`;
  }

  /** One browser waiting at the login page, another (signed in) at the consent page. */
  async renewBrowserFlows(): Promise<void> {
    const atLogin = new Browser(this.app.url);
    const start = await atLogin.get(
      authorizeUrl({ clientId: this.get('clientId'), challenge: pkcePair().challenge }),
    );
    const loginPage = await atLogin.get(start.location!);
    const atConsent = new Browser(this.app.url);
    const begun = await atConsent.get(
      authorizeUrl({ clientId: this.get('clientId'), challenge: pkcePair().challenge }),
    );
    const page = await atConsent.get(begun.location!);
    const signedIn = await atConsent.post('/login', {
      interaction: inputValue(page.text, 'interaction'),
      csrf: inputValue(page.text, 'csrf'),
      username: this.get('username'),
      password: PASSWORD,
    });
    const consentPage = await atConsent.get(signedIn.location!);
    const session = cookieOf(atConsent, 'tollgate_session');
    this.set({
      loginInteraction: paramsOf(start.location).interaction,
      loginCsrf: inputValue(loginPage.text, 'csrf'),
      bindingCookie: `tollgate_interaction=${cookieOf(atLogin, 'tollgate_interaction')}`,
      consentInteraction: paramsOf(signedIn.location).interaction,
      consentCsrf: inputValue(consentPage.text, 'csrf'),
      sessionCookie:
        `tollgate_session=${session}; ` +
        `tollgate_interaction=${cookieOf(atConsent, 'tollgate_interaction')}`,
      sessionHandle: sha256Hex(session),
    });
  }

  async putCacheEntry(): Promise<void> {
    const res = await fetch(`${this.app.url}/api/v1/cache/${CACHE_SERVICE}/known-entry`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.get('accessToken')}`, 'content-type': 'text/plain' },
      body: 'cached value',
    });
    if (res.status !== 201 && res.status !== 204)
      throw new Error(`cache fixture: ${res.status} ${await res.text()}`);
  }

  private set(values: Partial<Record<Ref, string>>): void {
    for (const [ref, value] of Object.entries(values)) this.values.set(ref as Ref, value);
  }
}

function tokenOf(body: unknown, field: string): string {
  const value = (body as Record<string, unknown>)[field];
  if (typeof value !== 'string') throw new Error(`no ${field} in ${JSON.stringify(body)}`);
  return value;
}

function cookieOf(browser: Browser, name: string): string {
  const value = browser.cookies.get(name);
  if (value === undefined)
    throw new Error(`no ${name} cookie (have ${[...browser.cookies.keys()]})`);
  return value;
}
