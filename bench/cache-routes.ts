/**
 * The service cache routes of the benchmark (tollgate only: the peer has no such API), with
 * the bench server's cache client (`cache:read cache:write`, namespace `bench`) and one
 * bearer token obtained before the cell, as a microservice would hold it:
 * - `cache-get`: GET of one key that exists (a hit: value, recency and hit counter in one
 *   Lua call), answered 200 with the value.
 * - `cache-put`: PUT of a small JSON value to keys rotating over PUT_KEYS names, fewer than
 *   the service's entry limit (CACHE_MAX_ENTRIES_PER_SERVICE, default 10000), so no write
 *   evicts: the first round creates (201), the rest replace (204).
 */
import type autocannon from 'autocannon';
import type { RequestLoad } from './route-load';
import type { Endpoint } from './routes';

/** Keys a PUT run rotates over; below the default entry limit of 10000. */
export const PUT_KEYS = 1000;
/** A small value, as a service would cache a lookup result (59 bytes of JSON). */
const VALUE = JSON.stringify({ id: 'order-42', status: 'shipped', total: 12.5, items: 3 });
const GET_KEY = 'get-target';

interface Answer {
  readonly status: number;
  readonly body: string;
}

async function send(at: Endpoint, spec: autocannon.RequestSpec): Promise<Answer> {
  const request = spec.setupRequest ? spec.setupRequest({ ...spec }) : spec;
  const response = await fetch(`${at.base}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, body: await response.text() };
}

function check(ok: boolean, what: string, answer: Answer): void {
  if (!ok) throw new Error(`${what}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
}

/** The cache client's token with both cache scopes (client_credentials, RFC 6749 4.4). */
async function cacheToken(at: Endpoint): Promise<{ token: string; service: string }> {
  const client = at.process.ready.cacheClient;
  if (!client) throw new Error(`${at.server} has no cache client: the cache routes are tollgate's`);
  const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
  const answer = await send(at, {
    method: 'POST',
    path: '/oauth2/token',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'cache:read cache:write',
    }).toString(),
  });
  const token = (JSON.parse(answer.body) as { access_token?: unknown }).access_token;
  check(answer.status === 200 && typeof token === 'string', `${at.server} cache token`, answer);
  return { token: token as string, service: client.service };
}

function load(
  at: Endpoint,
  request: autocannon.RequestSpec,
  ok: (answer: Answer) => boolean,
): RequestLoad {
  return {
    request,
    once: async () => {
      const answer = await send(at, request);
      check(ok(answer), `${at.server} ${request.method} ${request.path}`, answer);
    },
    verifyAfter: async () => undefined,
    bind: () => undefined,
    afterWarmup: async () => undefined,
    notes: () => [],
  };
}

/** `cache-get` or `cache-put` on `at` (tollgate). */
export async function cacheRouteLoad(
  route: 'cache-get' | 'cache-put',
  at: Endpoint,
): Promise<RequestLoad> {
  const { token, service } = await cacheToken(at);
  const base = `/api/v1/cache/${service}`;
  const bearer = { authorization: `Bearer ${token}` };
  const headers = { ...bearer, 'content-type': 'application/json' };
  const written = (a: Answer): boolean => a.status === 201 || a.status === 204;
  if (route === 'cache-get') {
    await load(
      at,
      { method: 'PUT', path: `${base}/${GET_KEY}`, headers, body: VALUE },
      written,
    ).once();
    const get: autocannon.RequestSpec = {
      method: 'GET',
      path: `${base}/${GET_KEY}`,
      headers: bearer,
    };
    return load(at, get, (a) => a.status === 200 && a.body === VALUE);
  }
  let next = 0;
  const put: autocannon.RequestSpec = {
    method: 'PUT',
    path: `${base}/put-0`,
    headers,
    body: VALUE,
    setupRequest: (spec) => ({ ...spec, path: `${base}/put-${next++ % PUT_KEYS}` }),
  };
  return load(at, put, written);
}
