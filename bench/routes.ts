/**
 * What each benchmarked route sends and what counts as a right answer, for both servers:
 * tollgate and the peer answer on the same paths (the peer is configured so), with the same
 * client_secret_basic client and the same form bodies.
 */
import autocannon from 'autocannon';
import { authorizeRouteLoad } from './authorize-route';
import { cacheRouteLoad } from './cache-routes';
import type { RequestLoad, RouteLoad } from './route-load';
import type { RouteName, ServerName } from './settings';
import type { ServerProcess } from './server-process';

export interface Endpoint {
  readonly server: ServerName;
  readonly process: ServerProcess;
  readonly base: string;
  /** client_secret_basic (RFC 6749 section 2.3.1) plus the form content type. */
  readonly headers: Record<string, string>;
  /** tollgate's ADMIN_TOKEN for this run, for set-ups through the admin API. */
  readonly adminToken?: string;
}

export function endpoint(server: ServerName, proc: ServerProcess, adminToken?: string): Endpoint {
  const { clientId, clientSecret, port } = proc.ready;
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  return {
    server,
    process: proc,
    base: `http://127.0.0.1:${port}`,
    adminToken,
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
  };
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const TOKEN_BODY = form({ grant_type: 'client_credentials', scope: 'cache:read' });
const ACCESS_TOKEN = /"access_token":"([^"]+)"/;

function parse(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function send(
  at: Endpoint,
  spec: autocannon.RequestSpec,
): Promise<{ status: number; body: string }> {
  const request = spec.setupRequest ? spec.setupRequest({ ...spec }) : spec;
  const response = await fetch(`${at.base}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, body: await response.text() };
}

function expect(ok: boolean, what: string, answer: { status: number; body: string }): void {
  if (!ok) throw new Error(`${what}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
}

async function introspect(at: Endpoint, token: string): Promise<boolean | undefined> {
  const answer = await send(at, introspectRequest(at, token));
  expect(answer.status === 200, `${at.server} introspection`, answer);
  return parse(answer.body).active as boolean | undefined;
}

function introspectRequest(at: Endpoint, token: string): autocannon.RequestSpec {
  const body = form({ token, token_type_hint: 'access_token' });
  return { method: 'POST', path: '/oauth2/introspect', headers: at.headers, body };
}

export async function issueToken(at: Endpoint): Promise<string> {
  const answer = await send(at, {
    method: 'POST',
    path: '/oauth2/token',
    headers: at.headers,
    body: TOKEN_BODY,
  });
  const token = parse(answer.body).access_token;
  expect(answer.status === 200 && typeof token === 'string', `${at.server} token`, answer);
  return token as string;
}

/**
 * `count` fresh access tokens, issued under load by autocannon itself (the fastest way to
 * get tens of thousands), for the revoke runs. Not measured.
 */
export async function issueTokens(at: Endpoint, count: number): Promise<string[]> {
  const tokens: string[] = [];
  await autocannon({
    url: at.base,
    connections: Math.min(16, count),
    amount: count,
    requests: [
      {
        method: 'POST',
        path: '/oauth2/token',
        headers: at.headers,
        body: TOKEN_BODY,
        onResponse: (status, body) => {
          const token = status === 200 ? ACCESS_TOKEN.exec(body)?.[1] : undefined;
          if (token) tokens.push(token);
        },
      },
    ],
  });
  if (tokens.length < count) {
    throw new Error(`${at.server}: issued ${tokens.length} of ${count} tokens for the revoke run`);
  }
  return tokens;
}

function simpleLoad(
  at: Endpoint,
  request: autocannon.RequestSpec,
  check: (status: number, body: string) => boolean,
): RequestLoad {
  return {
    request,
    once: async () => {
      const answer = await send(at, request);
      expect(check(answer.status, answer.body), `${at.server} ${request.path}`, answer);
    },
    verifyAfter: async () => undefined,
    bind: () => undefined,
    afterWarmup: async () => undefined,
    notes: () => [],
  };
}

/**
 * Revocation of a fresh token per request, taken from `tokens` in order. After the warm-up
 * the list is topped up for the measured run at the warm-up's or the expected rate, whichever
 * is higher, times `margin`. Should it
 * still run out, the run is stopped (at the next one-second sample) and the requests sent
 * until then revoke the last token again: the cell says so in its notes.
 */
function revokeLoad(at: Endpoint, pool: RevokePool): RequestLoad {
  const { tokens, durationSeconds, margin, expectedRate } = pool;
  let next = 0;
  let repeats = 0;
  let instance: autocannon.Instance | undefined;
  const take = (): string => {
    if (next < tokens.length) return tokens[next++];
    if (repeats++ === 0) instance?.stop();
    return tokens[tokens.length - 1];
  };
  const request: autocannon.RequestSpec = {
    method: 'POST',
    path: '/oauth2/revoke',
    headers: at.headers,
    setupRequest: (spec) => ({
      ...spec,
      body: form({ token: take(), token_type_hint: 'access_token' }),
    }),
  };
  return {
    request,
    once: async () => {
      const answer = await send(at, request);
      expect(answer.status === 200 && answer.body === '', `${at.server} revoke`, answer);
    },
    verifyAfter: async () => {
      for (const token of [tokens[0], tokens[Math.min(next, tokens.length) - 1]]) {
        if ((await introspect(at, token)) !== false) {
          throw new Error(`${at.server}: a token revoked by the run is still active`);
        }
      }
    },
    bind: (run) => {
      instance = run;
    },
    afterWarmup: async (warmupRate) => {
      const rate = Math.max(warmupRate, expectedRate);
      const needed = Math.ceil(rate * durationSeconds * margin) + 100 - (tokens.length - next);
      if (needed > 0) tokens.push(...(await issueTokens(at, needed)));
      repeats = 0; // only the measured run's count matters
    },
    notes: () =>
      repeats > 0
        ? [
            `ran out of fresh tokens after ${tokens.length}: ${repeats} requests revoked a revoked token`,
          ]
        : [],
  };
}

/** Fresh tokens for a revoke run: enough for its warm-up and checks to begin with. */
export interface RevokePool {
  readonly tokens: string[];
  readonly durationSeconds: number;
  /** Tokens issued for the measured run per token the expected rate predicts. */
  readonly margin: number;
  /** Requests per second expected from other cells; the warm-up's rate counts if higher. */
  readonly expectedRate: number;
}

/** The load of `route` on `at`; `pool` feeds a revoke run. */
export async function routeLoad(
  route: RouteName,
  at: Endpoint,
  pool: RevokePool = { tokens: [], durationSeconds: 0, margin: 1, expectedRate: 0 },
): Promise<RouteLoad> {
  switch (route) {
    case 'hello':
      return simpleLoad(
        at,
        { method: 'GET', path: '/bench/hello' },
        (s, b) => s === 200 && b === 'hello',
      );
    case 'nest':
      return simpleLoad(
        at,
        { method: 'GET', path: '/health/live' },
        (s, b) => s === 200 && parse(b).status === 'ok',
      );
    case 'token':
      return simpleLoad(
        at,
        { method: 'POST', path: '/oauth2/token', headers: at.headers, body: TOKEN_BODY },
        (s, b) => s === 200 && typeof parse(b).access_token === 'string',
      );
    case 'introspect':
      return simpleLoad(
        at,
        introspectRequest(at, await issueToken(at)),
        (s, b) => s === 200 && parse(b).active === true,
      );
    case 'revoke':
      return revokeLoad(at, pool);
    case 'cache-get':
    case 'cache-put':
      return cacheRouteLoad(route, at);
    case 'authorize':
      return authorizeRouteLoad(at);
  }
}
