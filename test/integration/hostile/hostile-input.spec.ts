/**
 * Issue 12 item 4: hostile input. fast-check generates malformed, oversized, repeated,
 * wrongly encoded and unexpected parameters, mixed with valid credentials, tokens, codes,
 * interactions and cookies, for every public route of one real app on a real Redis, and
 * checks every answer: never a 5xx, never internals in the body, RFC 6749 error JSON from
 * the OAuth endpoints, and no change to Redis (DB 0 and DB 1) when the request was refused.
 * FC_NUM_RUNS (runs per route) and FC_SEED scale and replay it (docs/security.md).
 */
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { startReadyApp } from '../../e2e/support/oauth-fixtures';
import { ADMIN_ENDPOINTS, CACHE_ENDPOINTS, OPS_ENDPOINTS } from './api-endpoints';
import { BROWSER_ENDPOINTS } from './browser-endpoints';
import type { EndpointSpec } from './endpoint-spec';
import { OAUTH_ENDPOINTS } from './oauth-endpoints';
import { fuzzEndpoint, NUM_RUNS, Tally } from './fuzz-runner';
import { ADMIN_TOKEN, HostileWorld } from './hostile-world';

const topology = useTopology({ mode: 'standalone' });
const tally = new Tally();
let running: RunningApp;
let world: HostileWorld;

beforeAll(async () => {
  running = await startReadyApp({
    ...topology().env(),
    ADMIN_TOKEN,
    SESSION_COOKIE_SECURE: 'false',
    PASSWORD_SCRYPT_N: '1024',
    // No background writers: every Redis change between two snapshots is the request's.
    JOBS_ENABLED: 'false',
  });
  world = new HostileWorld(running);
  await world.setUp();
});
afterAll(async () => {
  // Figures, not assertions: how much was sent, and what came back.
  console.log(tally.report());
  await running?.close();
});

/** Long runs (FC_NUM_RUNS in the thousands) need more than the default 60 s per test. */
const timeoutMs = Math.max(60_000, NUM_RUNS * 250);

const suites: readonly [string, readonly EndpointSpec[]][] = [
  ['OAuth endpoints (token, introspection, revocation, metadata)', OAUTH_ENDPOINTS],
  ['authorization flow pages (authorize, login, consent, logout)', BROWSER_ENDPOINTS],
  ['service cache API', CACHE_ENDPOINTS],
  ['health and metrics', OPS_ENDPOINTS],
  // Last: a valid admin credential may delete or rotate the victim client and user.
  ['admin API', ADMIN_ENDPOINTS],
];

describe.each(suites)('hostile input to the %s', (_title, endpoints) => {
  it.each(endpoints.map((e) => [e.name, e] as const))(
    '%s: never a 5xx or a leak, and a refused request changes nothing in Redis',
    async (_name, endpoint) => {
      await fuzzEndpoint(world, endpoint, tally);
    },
    timeoutMs,
  );
});
