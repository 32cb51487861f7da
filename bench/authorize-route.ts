/**
 * The `authorize` route (tollgate only): the authorization code round trip of a signed-in
 * user whose consent is remembered, as a web application sees it on every sign-in after the
 * first: `GET /oauth2/authorize` with the session cookie and a fresh PKCE pair -> 303 to the
 * redirect URI with `code` -> `POST /oauth2/token` (authorization_code, code_verifier,
 * client_secret_basic) -> 200 with the tokens. One operation is that round trip of two
 * requests, driven by bench/round-trip-loop.ts (autocannon cannot chain them).
 *
 * Set-up per cell, all over HTTP as a deployment would do it: a user and a confidential
 * client through the admin API (the run's ADMIN_TOKEN), then one sign-in through the real
 * pages (authorize -> login form -> consent form with "remember"), keeping the cookies.
 * The soak (bench/soak-operations.ts) reuses the set-up and the request builders.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HttpAnswer, HttpClient, HttpRequest } from './http-client';
import type { Operation, OperationOutcome } from './round-trip-loop';
import type { RoundTripLoad } from './route-load';
import type { Endpoint } from './routes';

export const REDIRECT_URI = 'https://app.bench.invalid/callback';
const SCOPE = 'openid profile';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/** RFC 7636 section 4.1-4.2: a 256-bit verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

function fail(what: string, answer: HttpAnswer): never {
  throw new Error(`tollgate authorize ${what}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
}

/** The cookies a browser would keep (name -> value), from Set-Cookie headers. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(answer: HttpAnswer): void {
    const lines = answer.headers['set-cookie'] ?? [];
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      const pair = line.split(';', 1)[0];
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /;\s*max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq).trim(), value);
    }
  }

  header(): Record<string, string> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return cookie ? { cookie } : {};
  }
}

/** A hidden input's value in a sign-in page. */
function inputValue(html: string, name: string): string {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`tollgate authorize set-up: no input ${name} in the page`);
  return match[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"');
}

const location = (answer: HttpAnswer): string => String(answer.headers.location ?? '');

export interface Fixture {
  readonly userId: string;
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  /** client_secret_basic, RFC 6749 section 2.3.1. */
  readonly basic: string;
}

/** A user and a confidential client with a redirect URI, through the admin API. */
export async function createFixture(http: HttpClient, adminToken: string): Promise<Fixture> {
  const admin = async (path: string, body: object): Promise<Record<string, unknown>> => {
    const answer = await http.send({
      method: 'POST',
      path,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status !== 201 && answer.status !== 200) fail(`set-up ${path}`, answer);
    return JSON.parse(answer.body) as Record<string, unknown>;
  };
  const username = `bench-${randomBytes(6).toString('hex')}`;
  const password = base64url(randomBytes(24));
  const user = await admin('/api/v1/admin/users', { username, password });
  const client = await admin('/api/v1/admin/clients', {
    name: 'bench web app',
    type: 'confidential',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    scopes: SCOPE.split(' '),
  });
  const [clientId, secret] = [String(client.client_id), String(client.client_secret)];
  const enc = (v: string): string => encodeURIComponent(v);
  return {
    userId: String(user.user_id),
    username,
    password,
    clientId,
    basic: `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64')}`,
  };
}

export function authorizeRequest(fixture: Fixture, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: fixture.clientId,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `/oauth2/authorize?${query.toString()}`;
}

/** The code in an authorization response, if it is one for `state` (RFC 6749 4.1.2). */
export function codeOf(answer: HttpAnswer, state: string): string | undefined {
  if (answer.status !== 303 || !location(answer).startsWith(`${REDIRECT_URI}?`)) return undefined;
  const params = new URL(location(answer)).searchParams;
  return params.get('state') === state ? (params.get('code') ?? undefined) : undefined;
}

export function tokenRequest(fixture: Fixture, code: string, verifier: string): HttpRequest {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  }).toString();
  return {
    method: 'POST',
    path: '/oauth2/token',
    headers: { ...FORM, authorization: fixture.basic },
    body,
  };
}

/**
 * The first sign-in of the cell through the pages, as a browser without JavaScript does it:
 * authorize -> /login (form) -> /consent (allow, remember) -> the redirect URI with a code.
 */
export async function signIn(http: HttpClient, jar: CookieJar, fixture: Fixture): Promise<void> {
  const browse = async (spec: HttpRequest): Promise<HttpAnswer> => {
    const answer = await http.send({ ...spec, headers: { ...spec.headers, ...jar.header() } });
    jar.take(answer);
    return answer;
  };
  const submit = async (page: string, fields: Record<string, string>): Promise<HttpAnswer> => {
    const form = await browse({ method: 'GET', path: page });
    if (form.status !== 200) fail(`set-up ${page}`, form);
    const hidden = {
      interaction: inputValue(form.body, 'interaction'),
      csrf: inputValue(form.body, 'csrf'),
    };
    const body = new URLSearchParams({ ...hidden, ...fields }).toString();
    return browse({ method: 'POST', path: page.split('?', 1)[0], headers: FORM, body });
  };
  const { challenge } = pkcePair();
  const start = await browse({ method: 'GET', path: authorizeRequest(fixture, challenge, 's0') });
  if (!location(start).startsWith('/login?')) fail('set-up: no login page', start);
  const { username, password } = fixture;
  const login = await submit(location(start), { username, password });
  if (!location(login).startsWith('/consent?')) fail('set-up: login', login);
  const consent = await submit(location(login), { decision: 'allow', remember: 'on' });
  if (codeOf(consent, 's0') === undefined) fail('set-up: consent', consent);
}

/** One round trip; a wrong answer ends it with that answer's status. */
function roundTrip(http: HttpClient, jar: CookieJar, fixture: Fixture): Operation {
  let sequence = 0;
  return async (): Promise<OperationOutcome> => {
    const { verifier, challenge } = pkcePair();
    const state = `s${++sequence}`;
    const authorize = await http.send({
      method: 'GET',
      path: authorizeRequest(fixture, challenge, state),
      headers: jar.header(),
    });
    const code = codeOf(authorize, state);
    if (code === undefined) return { ok: false, status: authorize.status };
    const token = await http.send(tokenRequest(fixture, code, verifier));
    const ok = token.status === 200 && /"access_token":"[^"]+"/.test(token.body);
    return { ok, status: token.status };
  };
}

/** After the run: a code still redeems into a token that introspects as the user's. */
async function checkTokens(http: HttpClient, jar: CookieJar, fixture: Fixture): Promise<void> {
  const { verifier, challenge } = pkcePair();
  const authorize = await http.send({
    method: 'GET',
    path: authorizeRequest(fixture, challenge, 'check'),
    headers: jar.header(),
  });
  const code = codeOf(authorize, 'check') ?? fail('check', authorize);
  const token = await http.send(tokenRequest(fixture, code, verifier));
  const accessToken = (JSON.parse(token.body) as { access_token?: string }).access_token;
  if (token.status !== 200 || !accessToken) fail('check token', token);
  const introspection = await http.send({
    method: 'POST',
    path: '/oauth2/introspect',
    headers: { ...FORM, authorization: fixture.basic },
    body: new URLSearchParams({ token: accessToken, token_type_hint: 'access_token' }).toString(),
  });
  const info = JSON.parse(introspection.body) as { active?: boolean; sub?: string; scope?: string };
  if (!info.active || info.sub !== fixture.userId || info.scope !== SCOPE) {
    fail('check introspection', introspection);
  }
}

/** The `authorize` route's load on `at` (tollgate, started with an ADMIN_TOKEN). */
export async function authorizeRouteLoad(at: Endpoint): Promise<RoundTripLoad> {
  if (!at.adminToken) throw new Error(`${at.server} has no admin token: authorize is tollgate's`);
  const http = new HttpClient(at.base);
  const jar = new CookieJar();
  const fixture = await createFixture(http, at.adminToken);
  await signIn(http, jar, fixture);
  const operation = roundTrip(http, jar, fixture);
  return {
    operation,
    once: async () => {
      const outcome = await operation();
      if (!outcome.ok) throw new Error(`tollgate authorize round trip: HTTP ${outcome.status}`);
    },
    verifyAfter: () => checkTokens(http, jar, fixture),
    afterWarmup: async () => undefined,
    notes: () => [],
    close: () => http.close(),
  };
}
