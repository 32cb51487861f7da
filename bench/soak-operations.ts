/**
 * What the soak (bench/soak.ts) asks of tollgate, as real clients would: a service getting
 * client_credentials tokens and using the service cache with them, resource servers
 * introspecting tokens, clients revoking some, and a web application whose signed-in user
 * goes through the authorization code flow (remembered consent, PKCE) and then rotates its
 * refresh token until the family's absolute lifetime ends. Each operation checks its answers;
 * one that gets an answer it should not (a status or body no correct server gives) reports
 * `ok: false`.
 *
 * The tokens each operation needs come from pools the others fill, kept small and dropped
 * before they expire, so a wrong answer means a server fault, not a stale token.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  authorizeRequest,
  codeOf,
  CookieJar,
  createFixture,
  Fixture,
  pkcePair,
  signIn,
  tokenRequest,
} from './authorize-route';
import type { HttpAnswer, HttpClient, HttpRequest } from './http-client';

export type OperationName =
  'token' | 'introspect' | 'revoke' | 'refresh' | 'authorize' | 'cache-put' | 'cache-get';

/** Share of each operation in the load (they add up to 1); `authorize` sends 2 requests. */
export const MIX: ReadonlyArray<readonly [OperationName, number]> = [
  ['token', 0.3],
  ['introspect', 0.3],
  ['revoke', 0.08],
  ['refresh', 0.15],
  ['authorize', 0.05],
  ['cache-put', 0.06],
  ['cache-get', 0.06],
];

/** The service cache namespace of the soak's service client. */
const CACHE_SERVICE = 'soak';
/** Keys the cache operations spread over (below CACHE_MAX_ENTRIES_PER_SERVICE's 10000). */
const CACHE_KEYS = 2000;
const CACHE_VALUE = JSON.stringify({ id: 'order-42', status: 'shipped', total: 12.5 });
const ACCESS_POOL = 2000;
const REFRESH_POOL = 500;
/** A pooled refresh token is dropped this long before it (or its family) would expire. */
const EXPIRY_MARGIN_MS = 20_000;
/** Age at which the cache operations get a new token (well within ACCESS_TOKEN_TTL_SECONDS). */
const CACHE_TOKEN_MS = 20_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export interface SoakFixtures {
  /** client_credentials with `cache:read cache:write` and the namespace `soak`. */
  readonly serviceBasic: string;
  readonly web: Fixture;
  /** The web application's user, signed in, consent remembered. */
  readonly jar: CookieJar;
}

/** The lifetimes the server runs with (REFRESH_TOKEN_TTL_SECONDS, ..._ABSOLUTE_TTL_SECONDS). */
export interface Lifetimes {
  readonly refreshMs: number;
  readonly familyMs: number;
}

const basicOf = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** The clients and the signed-in user, through the admin API and the sign-in pages. */
export async function createSoakFixtures(
  http: HttpClient,
  adminToken: string,
): Promise<SoakFixtures> {
  const answer = await http.send({
    method: 'POST',
    path: '/api/v1/admin/clients',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `soak service ${randomBytes(4).toString('hex')}`,
      type: 'confidential',
      grant_types: ['client_credentials'],
      scopes: ['cache:read', 'cache:write'],
      cache_services: [CACHE_SERVICE],
    }),
  });
  if (answer.status !== 201) throw new Error(`soak set-up: HTTP ${answer.status} ${answer.body}`);
  const service = JSON.parse(answer.body) as { client_id: string; client_secret: string };
  const web = await createFixture(http, adminToken);
  const jar = new CookieJar();
  await signIn(http, jar, web);
  return { serviceBasic: basicOf(service.client_id, service.client_secret), web, jar };
}

interface PooledAccess {
  readonly token: string;
  /** The issuing client's credentials: RFC 7009 lets a client revoke only its own tokens. */
  readonly basic: string;
}

interface PooledRefresh {
  readonly token: string;
  readonly issuedAt: number;
  readonly familyStart: number;
}

const json = (answer: HttpAnswer): Record<string, unknown> => {
  try {
    return JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return {};
  }
};
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/** Removes and returns a random element (order does not matter in a pool). */
function takeRandom<T>(pool: T[]): T | undefined {
  if (pool.length === 0) return undefined;
  const i = randomInt(pool.length);
  const item = pool[i];
  pool[i] = pool[pool.length - 1];
  pool.pop();
  return item;
}

export class SoakOperations {
  private readonly access: PooledAccess[] = [];
  private readonly refresh: PooledRefresh[] = [];
  /**
   * The cache operations' bearer token, as a service holds one: its own, never pooled (so
   * never revoked by the load), replaced once CACHE_TOKEN_MS old.
   */
  private cacheToken: { readonly token: string; readonly at: number } | undefined;

  constructor(
    private readonly send: (spec: HttpRequest) => Promise<HttpAnswer>,
    private readonly fixtures: SoakFixtures,
    private readonly lifetimes: Lifetimes,
  ) {}

  /** Runs one operation; false if an answer was wrong. */
  run(name: OperationName): Promise<boolean> {
    switch (name) {
      case 'token':
        return this.issue();
      case 'introspect':
        return this.introspect();
      case 'revoke':
        return this.revoke();
      case 'refresh':
        return this.rotate();
      case 'authorize':
        return this.authorize();
      case 'cache-put':
      case 'cache-get':
        return this.cache(name);
    }
  }

  private keepAccess(token: unknown, basic: string): void {
    if (typeof token !== 'string') return;
    if (this.access.length >= ACCESS_POOL) takeRandom(this.access);
    this.access.push({ token, basic });
  }

  private keepRefresh(token: unknown, familyStart: number): void {
    if (typeof token !== 'string') return;
    if (this.refresh.length >= REFRESH_POOL) this.refresh.shift();
    this.refresh.push({ token, issuedAt: Date.now(), familyStart });
  }

  private async issue(): Promise<boolean> {
    const token = await this.serviceToken();
    if (token === undefined) return false;
    this.keepAccess(token, this.fixtures.serviceBasic);
    return true;
  }

  /** A client_credentials token of the service client (RFC 6749 section 4.4). */
  private async serviceToken(): Promise<string | undefined> {
    const answer = await this.send({
      method: 'POST',
      path: '/oauth2/token',
      headers: { ...FORM, authorization: this.fixtures.serviceBasic },
      body: form({ grant_type: 'client_credentials', scope: 'cache:read cache:write' }),
    });
    const token = json(answer).access_token;
    return answer.status === 200 && typeof token === 'string' ? token : undefined;
  }

  private async introspect(): Promise<boolean> {
    const pooled = this.access[randomInt(Math.max(1, this.access.length))];
    if (!pooled) return this.issue();
    const answer = await this.send({
      method: 'POST',
      path: '/oauth2/introspect',
      headers: { ...FORM, authorization: pooled.basic },
      body: form({ token: pooled.token, token_type_hint: 'access_token' }),
    });
    // Active or not (revoked, expired) are both right answers here.
    return answer.status === 200 && typeof json(answer).active === 'boolean';
  }

  private async revoke(): Promise<boolean> {
    const pooled = takeRandom(this.access);
    if (!pooled) return this.issue();
    const answer = await this.send({
      method: 'POST',
      path: '/oauth2/revoke',
      headers: { ...FORM, authorization: pooled.basic },
      body: form({ token: pooled.token, token_type_hint: 'access_token' }),
    });
    return answer.status === 200;
  }

  /** authorize (session cookie, PKCE) -> 303 with a code -> token: a new refresh family. */
  private async authorize(): Promise<boolean> {
    const { web, jar } = this.fixtures;
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(8).toString('hex');
    const redirect = await this.send({
      method: 'GET',
      path: authorizeRequest(web, challenge, state),
      headers: jar.header(),
    });
    const code = codeOf(redirect, state);
    if (code === undefined) return false;
    const answer = await this.send(tokenRequest(web, code, verifier));
    const body = json(answer);
    if (answer.status !== 200 || typeof body.refresh_token !== 'string') return false;
    this.keepAccess(body.access_token, web.basic);
    this.keepRefresh(body.refresh_token, Date.now());
    return true;
  }

  /** One rotation (RFC 6749 section 6) of a pooled refresh token still well within its life. */
  private async rotate(): Promise<boolean> {
    const now = Date.now();
    let pooled: PooledRefresh | undefined;
    while ((pooled = this.refresh.shift())) {
      const fresh = pooled.issuedAt + this.lifetimes.refreshMs - EXPIRY_MARGIN_MS > now;
      const familyLives = pooled.familyStart + this.lifetimes.familyMs - EXPIRY_MARGIN_MS > now;
      if (fresh && familyLives) break;
    }
    if (!pooled) return this.authorize();
    const answer = await this.send({
      method: 'POST',
      path: '/oauth2/token',
      headers: { ...FORM, authorization: this.fixtures.web.basic },
      body: form({ grant_type: 'refresh_token', refresh_token: pooled.token }),
    });
    const body = json(answer);
    if (answer.status !== 200 || typeof body.refresh_token !== 'string') return false;
    this.keepAccess(body.access_token, this.fixtures.web.basic);
    this.keepRefresh(body.refresh_token, pooled.familyStart);
    return true;
  }

  private async cache(name: 'cache-put' | 'cache-get'): Promise<boolean> {
    if (!this.cacheToken || Date.now() - this.cacheToken.at > CACHE_TOKEN_MS) {
      const token = await this.serviceToken();
      if (token === undefined) return false;
      this.cacheToken = { token, at: Date.now() };
    }
    const path = `/api/v1/cache/${CACHE_SERVICE}/k-${randomInt(CACHE_KEYS)}`;
    const bearer = { authorization: `Bearer ${this.cacheToken.token}` };
    if (name === 'cache-get') {
      const answer = await this.send({ method: 'GET', path, headers: bearer });
      return (answer.status === 200 && answer.body === CACHE_VALUE) || answer.status === 404;
    }
    const answer = await this.send({
      method: 'PUT',
      path,
      headers: { ...bearer, 'content-type': 'application/json' },
      body: CACHE_VALUE,
    });
    return answer.status === 201 || answer.status === 204;
  }
}
