/**
 * `npm run bench`: tollgate and node-oidc-provider (the peer, bench/peer-oidc-provider/) side
 * by side on the same standalone Redis, next to a bare Fastify route of tollgate's process
 * (the ceiling): client_credentials issuance, introspection and revocation at 1, 16 and 64
 * connections, tollgate's service cache (GET and PUT) and its authorization code round trip
 * for a signed-in user (authorize -> token). See docs/performance.md for the method and how
 * to read the results, which this writes to bench/results/latest.json and
 * docs/performance.md.
 *
 * Exits 1 if a run saw a non-2xx answer or a socket error (a benchmark of errors measures
 * nothing); a missed performance target is reported as FAIL, never as an exit code.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { RedisTopology } from '../src/dev/redis-topology';
import { Cell, measureCell, PROBE_REQUESTS } from './measure';
import { peerVersion, startPeer } from './peer';
import { redisFootprint } from './redis-stats';
import { BenchSummary } from './report';
import { resultsMarkdown, writeResults } from './results';
import { endpoint, Endpoint, issueTokens, routeLoad } from './routes';
import { isSmokeRun, readSettings, RouteName, ServerName, Settings } from './settings';
import { ServerProcess, startServer } from './server-process';

/** Quiet production-like settings for tollgate; the caller's environment wins. */
const SERVER_ENV = {
  NODE_ENV: 'production',
  // Production requires an https issuer (src/config/load-config.ts); nothing dereferences it.
  ISSUER: 'https://tollgate.bench.invalid',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: '0',
  // The limiter runs on every request (its Lua and headers are measured) but never refuses:
  // a bench of 429s would measure refusals. docs/rate-limiting.md has the defaults.
  RATE_LIMIT_CLIENT_LIMIT: '1000000000',
  RATE_LIMIT_IP_LIMIT: '1000000000',
  RATE_LIMIT_DEFAULT_LIMIT: '1000000000',
  // The authorize route signs in once per cell (per username and IP, 5 per 5 minutes by default).
  RATE_LIMIT_LOGIN_LIMIT: '1000000000',
};
/** Routes of tollgate only: the ceiling, a Nest route without Redis, the service cache and
 * the authorize round trip (the peer has no such API, or no sign-in pages to drive). */
const TOLLGATE_ONLY = new Set<RouteName>(['hello', 'nest', 'cache-get', 'cache-put', 'authorize']);
/** The peer's Redis DB: tollgate uses 0 (auth) and 1 (cache). */
const PEER_DB = 2;
/** Revoke runs get this many times the fresh tokens their estimated rate needs. */
const REVOKE_POOL_MARGIN = 2;
/** Requests per second assumed for a revoke pool when no token or introspect cell ran. */
const FALLBACK_RATE = 3000;

/** The caller's own settings for the server (LOG_LEVEL etc.) win over SERVER_ENV. */
function pick(env: NodeJS.ProcessEnv): Record<string, string> {
  const keys = Object.keys(SERVER_ENV).filter((k) => env[k] !== undefined);
  return Object.fromEntries(keys.map((k) => [k, String(env[k])]));
}

function tollgateVersion(): string {
  const file = join(__dirname, '..', 'package.json');
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
  try {
    const commit = execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: 'pipe' });
    return `${version} (${commit.toString().trim()})`;
  } catch {
    return version;
  }
}

/** The highest rate of this server's other OAuth cells at these connections (a revoke costs
 * about as much as an introspection), or a guess when none ran. */
function expectedRate(cells: Cell[], at: Endpoint, connections: number): number {
  const rates = cells
    .filter((c) => c.server === at.server && c.connections === connections)
    .filter((c) => !TOLLGATE_ONLY.has(c.route))
    .map((c) => c.requestsPerSecond);
  return rates.length > 0 ? Math.max(...rates) : FALLBACK_RATE;
}

/** Fresh tokens a revoke cell starts with, for its checks, probe and warm-up; the measured
 * run's are issued after the warm-up (bench/routes.ts). */
function initialPoolSize(rate: number, connections: number, s: Settings): number {
  return Math.ceil(rate * s.warmupSeconds * REVOKE_POOL_MARGIN) + PROBE_REQUESTS + connections + 2;
}

function describe(cell: Cell): string {
  const { p50, p99 } = cell.latencyMs;
  return (
    `${Math.round(cell.requestsPerSecond)} req/s, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ` +
    `${Math.round(cell.serverCpuMicrosPerRequest)} µs CPU/req, ${cell.non2xx + cell.socketErrors} errors`
  );
}

/** One cell; a revoke cell first gets its fresh tokens. */
async function measureRoute(
  at: Endpoint,
  route: RouteName,
  connections: number,
  run: { s: Settings; cells: Cell[]; topology: RedisTopology },
): Promise<Cell> {
  const { s, cells, topology } = run;
  const rate = expectedRate(cells, at, connections);
  const tokens =
    route === 'revoke' ? await issueTokens(at, initialPoolSize(rate, connections, s)) : [];
  const pool = {
    tokens,
    durationSeconds: s.durationSeconds,
    margin: REVOKE_POOL_MARGIN,
    expectedRate: rate,
  };
  const load = await routeLoad(route, at, pool);
  const { warmupSeconds, durationSeconds } = s;
  return measureCell({ at, route, connections, load, warmupSeconds, durationSeconds }, topology);
}

async function runMatrix(
  s: Settings,
  endpoints: Map<ServerName, Endpoint>,
  topology: RedisTopology,
): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const connections of s.connections) {
    for (const route of s.routes) {
      // Servers alternate within a route, so drift on a shared machine hits both alike.
      const servers: ServerName[] = TOLLGATE_ONLY.has(route) ? ['tollgate'] : [...s.servers];
      for (const server of servers) {
        const at = endpoints.get(server);
        if (!at) continue;
        process.stdout.write(`running ${route} ${server} at ${connections} ...`);
        const cell = await measureRoute(at, route, connections, { s, cells, topology });
        process.stdout.write(` ${describe(cell)}\n`);
        cells.push(cell);
      }
    }
  }
  return cells;
}

async function startServers(
  s: Settings,
  topology: RedisTopology,
  started: ServerProcess[],
): Promise<Map<ServerName, Endpoint>> {
  const endpoints = new Map<ServerName, Endpoint>();
  if (s.servers.includes('tollgate')) {
    // A fresh admin credential per run, for the authorize route's set-up (admin API).
    const adminToken = randomBytes(32).toString('base64url');
    const env = { ...SERVER_ENV, ...pick(process.env), ...topology.env(), ADMIN_TOKEN: adminToken };
    const proc = await startServer(join(__dirname, '..', 'dist'), env);
    started.push(proc);
    endpoints.set('tollgate', endpoint('tollgate', proc, adminToken));
  }
  if (s.servers.includes('oidc-provider')) {
    const proc = await startPeer(`${topology.redisUrl()}/${PEER_DB}`, s.peerAutoPipelining);
    started.push(proc);
    endpoints.set('oidc-provider', endpoint('oidc-provider', proc));
  }
  return endpoints;
}

async function benchmark(s: Settings, topology: RedisTopology, started: ServerProcess[]) {
  const startedAt = new Date().toISOString();
  const endpoints = await startServers(s, topology, started);
  const loadBefore = os.loadavg();
  const cells = await runMatrix(s, endpoints, topology);
  const serverMemory: BenchSummary['serverMemory'] = {};
  for (const [name, at] of endpoints) {
    const { type: _type, ...memory } = await at.process.memory();
    serverMemory[name] = memory;
  }
  const redis = await redisFootprint(topology);
  const summary: BenchSummary = {
    smoke: isSmokeRun(s),
    label: s.label,
    startedAt,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      node: process.versions.node,
      redis: redis.version,
    },
    versions: {
      tollgate: tollgateVersion(),
      'oidc-provider': endpoints.has('oidc-provider') ? peerVersion() : '-',
    },
    settings: s,
    loadBefore,
    loadAfter: os.loadavg(),
    cells,
    serverMemory,
    redis,
  };
  return summary;
}

/** Cells with any non-2xx answer or socket error. */
function failures(cells: Cell[]): string[] {
  return cells
    .filter((c) => c.non2xx + c.socketErrors > 0)
    .map(
      (c) =>
        `${c.server} ${c.route} at ${c.connections}: ${c.non2xx} non-2xx ` +
        `(${JSON.stringify(c.statusCodes)}), ${c.socketErrors} socket errors (${c.timeouts} timeouts)`,
    );
}

async function main(): Promise<void> {
  const settings = readSettings();
  const started: ServerProcess[] = [];
  let topology: RedisTopology | undefined;
  let tearingDown: Promise<void> | undefined;
  const teardown = (): Promise<void> =>
    (tearingDown ??= (async () => {
      await Promise.all(started.map((server) => server.stop().catch(() => undefined)));
      await topology?.stop();
    })());
  process.once('SIGINT', () => {
    process.stderr.write('\nbench: interrupted, tearing down\n');
    void teardown().finally(() => process.exit(130));
  });
  try {
    process.stdout.write('starting a standalone redis-server\n');
    topology = await RedisTopology.start({ mode: 'standalone' });
    const summary = await benchmark(settings, topology, started);
    const markdown = resultsMarkdown(summary);
    process.stdout.write(`\n${markdown}\n\n`);
    if (settings.write)
      process.stdout.write(`wrote ${writeResults(summary, markdown).join(', ')}\n`);
    const failed = failures(summary.cells);
    if (failed.length > 0) {
      process.stderr.write(`bench: FAILED, errors under load:\n  ${failed.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    await teardown();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
