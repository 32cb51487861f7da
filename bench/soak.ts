/**
 * `npm run soak`: tollgate under moderate load for SOAK_MINUTES (default 30), then idle until
 * every token has expired and a cleanup tick has run, sampled every SOAK_SAMPLE_SECONDS
 * (default 10): the server's RSS (its own process, `node dist/main.js`), heap used (its
 * /metrics), Redis used_memory and keys per DB, req/s, latency and errors. The load is an open
 * loop of SOAK_RATE operations per second (default 200) mixing client_credentials tokens,
 * introspection, revocation, authorization code sign-ins, refresh rotations and service
 * cache reads and writes (bench/soak-operations.ts), with short lifetimes (60 s tokens,
 * 120 s refresh tokens, 240 s refresh families) and 10 s cleanup jobs so that expiry and
 * cleanup happen many times within the run. Writes bench/results/soak.json and soak.csv,
 * prints a summary table, and exits 1 if a check fails (docs/reliability.md, "Soak").
 * Not part of CI: it takes SOAK_MINUTES plus about 5 minutes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../src/dev/redis-process';
import { RedisTopology, TopologyMode } from '../src/dev/redis-topology';
import { HttpClient } from './http-client';
import { SoakLoad } from './soak-load';
import { createSoakFixtures, OperationName, SoakOperations } from './soak-operations';
import {
  Bounds,
  checkSoak,
  floorSlopePer10Min,
  lateSlopePer10Min,
  MIB,
  Sample,
  SoakSummary,
  summaryMarkdown,
  writeSoakFiles,
} from './soak-report';
import { KeyGroups, keyGroups, RedisFigures, redisFigures } from './soak-redis';
import { SoakServer, startSoakServer } from './soak-server';

const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const MINUTES = num('SOAK_MINUTES', 30);
const RATE = num('SOAK_RATE', 200);
const SAMPLE_SECONDS = num('SOAK_SAMPLE_SECONDS', 10);
const LIFETIMES = { access: 60, refresh: 120, family: 240, code: 60, cache: 60 };
const CLEANUP_EVERY_MS = 10_000;
/** Longest life of anything the load writes (the rate-limit windows are 60 s), one cleanup
 * tick, and a margin for Redis's active expiry to reach the last keys. */
const DRAIN_SECONDS = num(
  'SOAK_DRAIN_SECONDS',
  Math.max(...Object.values(LIFETIMES), 60) + CLEANUP_EVERY_MS / 1000 + 30,
);
const BOUNDS: Bounds = {
  rssSlopeMiBPer10Min: num('SOAK_MAX_RSS_SLOPE_MIB', 10),
  slopeMinMinutes: 10,
  redisGrowthMiB: num('SOAK_MAX_REDIS_GROWTH_MIB', 1),
  // The one cleanup queue keeps its last 50 completed and 50 failed jobs
  // (src/jobs/job-schedules.ts) besides its schedulers, markers and capped event stream: about
  // 110 keys. The bound is three times the kept jobs, so only unbounded growth fails.
  jobKeysGrowth: 3 * 2 * 50 + 10,
};
/** Each operation once, in an order where each finds what it needs (refresh after authorize). */
const WARM_UP: OperationName[] = [
  'token',
  'introspect',
  'revoke',
  'authorize',
  'refresh',
  'cache-put',
  'cache-get',
];
const RESULTS = join(__dirname, 'results', process.env.SOAK_OUT ?? 'soak');

function serverEnv(redis: Record<string, string>, adminToken: string): Record<string, string> {
  const relaxed = '1000000000';
  return {
    ...redis,
    NODE_ENV: 'production',
    ISSUER: 'https://tollgate.soak.invalid',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ADMIN_TOKEN: adminToken,
    ACCESS_TOKEN_TTL_SECONDS: String(LIFETIMES.access),
    REFRESH_TOKEN_TTL_SECONDS: String(LIFETIMES.refresh),
    REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: String(LIFETIMES.family),
    AUTH_CODE_TTL_SECONDS: String(LIFETIMES.code),
    CACHE_DEFAULT_TTL_SECONDS: String(LIFETIMES.cache),
    // The one browser session must outlive the run.
    SESSION_TTL_SECONDS: String(Math.ceil(MINUTES * 60 + DRAIN_SECONDS + 3600)),
    JOBS_TOKEN_CLEANUP_EVERY_MS: String(CLEANUP_EVERY_MS),
    JOBS_SESSION_CLEANUP_EVERY_MS: String(CLEANUP_EVERY_MS),
    JOBS_CACHE_CLEANUP_EVERY_MS: String(CLEANUP_EVERY_MS),
    // The limiter runs on every request (its keys are part of the footprint), never refuses.
    RATE_LIMIT_CLIENT_LIMIT: relaxed,
    RATE_LIMIT_IP_LIMIT: relaxed,
    RATE_LIMIT_DEFAULT_LIMIT: relaxed,
    RATE_LIMIT_LOGIN_LIMIT: relaxed,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const loadAverage = (): number[] => os.loadavg().map((n) => Math.round(n * 100) / 100);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function sample(
  server: SoakServer,
  topology: RedisTopology,
  load: SoakLoad,
  t: number,
  phase: Sample['phase'],
): Promise<Sample> {
  const interval = load.takeInterval();
  const rss = server.rssBytes();
  const metrics = await server.metrics().catch(() => new Map<string, number>());
  const redis = await redisFigures(topology);
  const s: Sample = {
    t,
    phase,
    rssMiB: rss / MIB,
    heapUsedMiB: (metrics.get('nodejs_heap_size_used_bytes') ?? 0) / MIB,
    redisUsedMiB: redis.usedMemory / MIB,
    db0Keys: redis.keys.db0 ?? 0,
    db1Keys: redis.keys.db1 ?? 0,
    perSecond: interval.perSecond,
    requests: interval.requests,
    non2xx: interval.non2xx,
    errors: interval.errors,
    shed: interval.shed,
    p50Ms: interval.p50Ms,
    p99Ms: interval.p99Ms,
    load1: os.loadavg()[0],
  };
  log(
    `${phase} t=${Math.round(t)}s rss=${s.rssMiB.toFixed(1)}MiB heap=${s.heapUsedMiB.toFixed(1)}MiB ` +
      `redis=${s.redisUsedMiB.toFixed(2)}MiB keys=${s.db0Keys}/${s.db1Keys} ` +
      `${s.perSecond.toFixed(0)}req/s p99=${s.p99Ms.toFixed(1)}ms errors=${s.errors} ` +
      `shed=${s.shed} load=${s.load1.toFixed(2)}`,
  );
  return s;
}

/** Samples every SAMPLE_SECONDS for `seconds`, times counted from `origin`. */
async function samplePhase(
  args: [SoakServer, RedisTopology, SoakLoad],
  phase: Sample['phase'],
  seconds: number,
  origin: number,
  samples: Sample[],
): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(Math.min(SAMPLE_SECONDS * 1000, end - Date.now()));
    samples.push(await sample(...args, (Date.now() - origin) / 1000, phase));
  }
}

interface Before {
  readonly baseline: RedisFigures;
  readonly groups: { readonly baseline: KeyGroups; readonly endOfLoad: KeyGroups };
  readonly loadStart: number[];
}

/** The summary of a finished run (the drain included), with its checks. */
async function summarize(
  topology: RedisTopology,
  load: SoakLoad,
  samples: Sample[],
  before: Before,
): Promise<SoakSummary> {
  const loadSamples = samples.filter((s) => s.phase === 'load');
  const rss = loadSamples.map((s) => s.rssMiB);
  const heap = loadSamples.map((s) => s.heapUsedMiB);
  const partial = {
    settings: {
      SOAK_MINUTES: MINUTES,
      SOAK_RATE: RATE,
      SOAK_SAMPLE_SECONDS: SAMPLE_SECONDS,
      drainSeconds: DRAIN_SECONDS,
      redis: topology.env().REDIS_MODE ?? '',
      node: process.version,
      cpus: os.cpus().length,
    },
    bounds: BOUNDS,
    loadAverage: { start: before.loadStart, end: loadAverage() },
    rssMiB: {
      start: rss[0],
      peak: Math.max(...rss),
      end: rss.at(-1) ?? 0,
      afterDrain: samples.at(-1)?.rssMiB ?? 0,
    },
    rssSlopeMiBPer10Min: lateSlopePer10Min(samples, 'rssMiB'),
    rssFloorSlopeMiBPer10Min: floorSlopePer10Min(samples, 'rssMiB'),
    heapUsedMiB: {
      start: heap[0],
      peak: Math.max(...heap),
      end: heap.at(-1) ?? 0,
      slopePer10Min: lateSlopePer10Min(samples, 'heapUsedMiB'),
      floorSlopePer10Min: floorSlopePer10Min(samples, 'heapUsedMiB'),
    },
    redis: {
      baseline: before.baseline,
      peakUsedMemory: Math.max(...samples.map((s) => s.redisUsedMiB * MIB)),
      afterDrain: await redisFigures(topology),
    },
    keyGroups: { ...before.groups, afterDrain: await keyGroups(topology, [0, 1]) },
    load: load.summary(),
  };
  return { ...partial, failures: checkSoak(partial, MINUTES) };
}

async function soak(topology: RedisTopology): Promise<number> {
  const adminToken = randomBytes(24).toString('hex');
  const [port, managementPort] = await freePorts(2);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const server = await startSoakServer({
    distDir: process.env.SOAK_DIST ?? join(__dirname, '..', 'dist'),
    port,
    managementPort,
    env: serverEnv(topology.env(), adminToken),
    logFile: `${RESULTS}-server.log`,
  });
  const http = new HttpClient(server.base);
  try {
    const fixtures = await createSoakFixtures(http, adminToken);
    const lifetimes = { refreshMs: LIFETIMES.refresh * 1000, familyMs: LIFETIMES.family * 1000 };
    const load = new SoakLoad(http, (send) => new SoakOperations(send, fixtures, lifetimes));
    // Warm-up: each operation once, checked; it also creates the counters and indexes that
    // live as long as the deployment (auth_stats, cache_stats, ...) before the baseline.
    for (const name of WARM_UP) await load.once(name);
    const baseline = await redisFigures(topology);
    const baselineGroups = await keyGroups(topology, [0, 1]);
    const loadStart = loadAverage();
    log(
      `baseline: redis ${(baseline.usedMemory / MIB).toFixed(2)} MiB, keys ${JSON.stringify(baseline.keys)}`,
    );
    const samples: Sample[] = [];
    const origin = Date.now();
    load.takeInterval();
    const args: [SoakServer, RedisTopology, SoakLoad] = [server, topology, load];
    samples.push(await sample(...args, 0, 'load'));
    load.start(RATE);
    await samplePhase(args, 'load', MINUTES * 60, origin, samples);
    await load.stop();
    const endOfLoad = await keyGroups(topology, [0, 1]);
    log(`load stopped; draining for ${DRAIN_SECONDS} s`);
    await samplePhase(args, 'drain', DRAIN_SECONDS, origin, samples);
    const summary = await summarize(topology, load, samples, {
      baseline,
      groups: { baseline: baselineGroups, endOfLoad },
      loadStart,
    });
    writeSoakFiles(RESULTS, summary, samples);
    log(summaryMarkdown(summary));
    log(`key groups after the drain: ${JSON.stringify(summary.keyGroups.afterDrain)}`);
    if (summary.load.examples.length)
      log(`wrong answers, first ones:\n${summary.load.examples.join('\n')}`);
    log(`series and summary: ${RESULTS}.json, ${RESULTS}.csv`);
    return summary.failures.length ? 1 : 0;
  } finally {
    http.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const mode = (process.env.SOAK_REDIS_MODE ?? 'standalone') as TopologyMode;
  const topology = await RedisTopology.start({ mode });
  try {
    process.exitCode = await soak(topology);
  } finally {
    await topology.stop();
  }
}

// Ctrl-C or a kill: exit through the 'exit' hooks that kill the server and the Redis nodes.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((err: unknown) => {
  process.stderr.write(`soak: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
