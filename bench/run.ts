/**
 * `npm run bench`: autocannon against the real server on a local Sentinel topology
 * (1 master, 2 replicas, 3 sentinels), measuring client_credentials issuance and
 * introspection next to two reference routes of the same process: a bare Fastify route
 * (the ceiling) and a Nest controller route that touches no Redis.
 * See docs/benchmarks.md. Speed targets are checked here, never by timed test assertions.
 *
 * Env: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS
 * (default 50). Server settings (e.g. REDIS_WRITE_REPLICAS) pass through to the server.
 * Exits 1 if an OAuth run saw a non-2xx answer or a socket error: a benchmark of errors
 * measures nothing.
 */
import autocannon from 'autocannon';
import * as os from 'node:os';
import { join } from 'node:path';
import { RedisTopology } from '../src/dev/redis-topology';
import { sampleCpu } from './cpu';
import { callsPerRequest, redisCommandCalls, redisFootprint } from './redis-stats';
import { BenchSummary, formatSummary, RunResult, summaryJson } from './report';
import { ServerProcess, startServer } from './server-process';

const settings = {
  durationSeconds: positiveInt('BENCH_DURATION', 10),
  warmupSeconds: positiveInt('BENCH_WARMUP', 2),
  connections: positiveInt('BENCH_CONNECTIONS', 50),
};

/** Quiet production-like server settings; the caller's environment wins. */
const SERVER_ENV = {
  NODE_ENV: 'production',
  // Production requires an https issuer (src/config/load-config.ts); nothing dereferences it.
  ISSUER: 'https://tollgate.bench.invalid',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: '0',
};

interface Target {
  readonly name: 'hello' | 'nest' | 'token' | 'introspect';
  readonly route: string;
  readonly request: Omit<autocannon.Options, 'url'> & { path: string };
  /** Must hold for one response before the run: we benchmark answers, not errors. */
  readonly check: (status: number, body: string) => boolean;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** client_secret_basic (RFC 6749 section 2.3.1) plus the form content type. */
function oauthHeaders(server: ServerProcess): Record<string, string> {
  const { clientId, clientSecret } = server.ready;
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  return { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' };
}

const TOKEN_BODY = form({ grant_type: 'client_credentials', scope: 'cache:read' });

function targets(server: ServerProcess, accessToken: string): Target[] {
  const headers = oauthHeaders(server);
  return [
    {
      name: 'hello',
      route: 'GET /bench/hello',
      request: { path: '/bench/hello', method: 'GET' },
      check: (status, body) => status === 200 && body === 'hello',
    },
    {
      // A Nest controller route without Redis: separates framework cost from OAuth + Redis.
      name: 'nest',
      route: 'GET /health/live (Nest, no Redis)',
      request: { path: '/health/live', method: 'GET' },
      check: (status, body) => status === 200 && parse(body).status === 'ok',
    },
    {
      name: 'token',
      route: 'POST /oauth2/token (client_credentials)',
      request: { path: '/oauth2/token', method: 'POST', headers, body: TOKEN_BODY },
      check: (status, body) => status === 200 && typeof parse(body).access_token === 'string',
    },
    {
      name: 'introspect',
      route: 'POST /oauth2/introspect',
      request: {
        path: '/oauth2/introspect',
        method: 'POST',
        headers,
        body: form({ token: accessToken, token_type_hint: 'access_token' }),
      },
      check: (status, body) => status === 200 && parse(body).active === true,
    },
  ];
}

function parse(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function once(base: string, target: Target): Promise<void> {
  const { path, method, headers, body } = target.request;
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  if (!target.check(response.status, text)) {
    throw new Error(`${target.route} answered ${response.status} ${text.slice(0, 200)}`);
  }
}

async function issueToken(base: string, server: ServerProcess): Promise<string> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: oauthHeaders(server),
    body: TOKEN_BODY,
  });
  const access = parse(await response.text()).access_token;
  if (response.status !== 200 || typeof access !== 'string') {
    throw new Error(`could not issue the introspection token (HTTP ${response.status})`);
  }
  return access;
}

async function measure(
  base: string,
  server: ServerProcess,
  topology: RedisTopology,
  target: Target,
): Promise<RunResult> {
  await once(base, target);
  process.stdout.write(`running ${target.route} ...\n`);
  const { path, ...request } = target.request;
  const options = { ...request, url: `${base}${path}`, connections: settings.connections };
  // Warm-up as its own run (JIT, connection pools), so the CPU sample covers only the measurement.
  await autocannon({ ...options, duration: settings.warmupSeconds });
  const callsBefore = await redisCommandCalls(topology);
  const endSample = await sampleCpu(() => server.cpuMicros());
  const result = await autocannon({
    ...options,
    pipelining: 1,
    duration: settings.durationSeconds,
  });
  const cpu = await endSample();
  const calls = await redisCommandCalls(topology);
  await once(base, target); // still answering correctly after the load
  return {
    name: target.name,
    route: target.route,
    result,
    cpu,
    redisCalls: callsPerRequest(callsBefore, calls, Math.max(1, result.requests.total)),
  };
}

async function benchmark(topology: RedisTopology, server: ServerProcess): Promise<BenchSummary> {
  const base = `http://127.0.0.1:${server.ready.port}`;
  const loadBefore = os.loadavg();
  const accessToken = await issueToken(base, server);
  const runs: RunResult[] = [];
  for (const target of targets(server, accessToken)) {
    runs.push(await measure(base, server, topology, target));
  }
  const { type: _type, ...serverMemory } = await server.memory();
  const redis = await redisFootprint(topology);
  return {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      node: process.versions.node,
      redis: redis.version,
    },
    settings,
    loadBefore,
    loadAfter: os.loadavg(),
    runs,
    serverMemory,
    redis,
  };
}

/** The OAuth runs must be all 2xx without socket errors; the reference routes only report. */
function failures(summary: BenchSummary): string[] {
  return summary.runs
    .filter((r) => r.name === 'token' || r.name === 'introspect')
    .filter((r) => r.result.non2xx + r.result.errors + r.result.timeouts > 0)
    .map(
      ({ route, result }) =>
        `${route}: ${result.non2xx} non-2xx (${Object.keys(result.statusCodeStats).join(', ')}), ` +
        `${result.errors} errors, ${result.timeouts} timeouts`,
    );
}

async function main(): Promise<void> {
  let server: ServerProcess | undefined;
  let topology: RedisTopology | undefined;
  let tearingDown: Promise<void> | undefined;
  const teardown = (): Promise<void> =>
    (tearingDown ??= (async () => {
      await server?.stop().catch(() => undefined);
      await topology?.stop();
    })());
  process.once('SIGINT', () => {
    process.stderr.write('\nbench: interrupted, tearing down\n');
    void teardown().finally(() => process.exit(130));
  });
  try {
    process.stdout.write('starting Redis Sentinel topology (1 master, 2 replicas, 3 sentinels)\n');
    topology = await RedisTopology.start({ mode: 'sentinel' });
    server = await startServer(join(__dirname, '..', 'dist'), {
      ...SERVER_ENV,
      ...pick(process.env),
      ...topology.env(),
    });
    const summary = await benchmark(topology, server);
    process.stdout.write(`\n${formatSummary(summary)}\n\n${summaryJson(summary)}\n`);
    const failed = failures(summary);
    if (failed.length > 0) {
      process.stderr.write(`bench: FAILED, errors under load:\n  ${failed.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    await teardown();
  }
}

/** The caller's own settings for the server (LOG_LEVEL etc.) win over SERVER_ENV. */
function pick(env: NodeJS.ProcessEnv): Record<string, string> {
  const keys = Object.keys(SERVER_ENV).filter((k) => env[k] !== undefined);
  return Object.fromEntries(keys.map((k) => [k, String(env[k])]));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
