/**
 * `npm run bench:durability`: what durable writes cost. One Sentinel topology (1 master, 2
 * replicas, 3 sentinels, loopback), tollgate started three times with REDIS_WRITE_REPLICAS=0,
 * 1 and 2, client_credentials tokens at BENCH_CONNECTIONS (default 64) for BENCH_DURATION
 * seconds (default 10) after a BENCH_WARMUP (default 2) each, in BENCH_ROUNDS (default 3)
 * interleaved rounds (0, 1, 2, 0, 1, 2, ...) so drift on a shared machine hits every setting
 * alike; the median round per setting is reported. Prints tokens/s, latency and the
 * ratio to durability off (docs/reliability.md, "Choosing REDIS_WRITE_REPLICAS"). Every answer
 * must be 200: a run with errors measures nothing, and exits 1. BENCH_WRITE_REPLICAS picks the
 * settings (default 0,1,2); BENCH_DIST another build to run (default dist/).
 */
import autocannon from 'autocannon';
import { join } from 'node:path';
import { RedisTopology } from '../src/dev/redis-topology';
import { LatencyRecorder } from './latency';
import { endpoint, Endpoint, issueToken } from './routes';
import { startServer } from './server-process';

const SERVER_ENV = {
  NODE_ENV: 'production',
  ISSUER: 'https://tollgate.bench.invalid',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: '0',
  REDIS_WRITE_TIMEOUT_MS: '500',
};
/** BENCH_WRITE_REPLICAS: the settings to compare, default 0,1,2 (the first is the baseline). */
const SETTINGS = (process.env.BENCH_WRITE_REPLICAS ?? '0,1,2').split(',').map(Number);
const TOKEN_BODY = new URLSearchParams({
  grant_type: 'client_credentials',
  scope: 'cache:read',
}).toString();

interface Row {
  replicas: number;
  tokensPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(at: Endpoint, connections: number, seconds: number) {
  const instance = autocannon({
    url: at.base,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', path: '/oauth2/token', headers: at.headers, body: TOKEN_BODY }],
  });
  const latency = new LatencyRecorder();
  latency.attach(instance);
  const result = await instance;
  return { result, latency: latency.summary() };
}

async function measure(topology: RedisTopology, replicas: number): Promise<Row> {
  const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const env = { ...SERVER_ENV, ...topology.env(), REDIS_WRITE_REPLICAS: String(replicas) };
  const server = await startServer(process.env.BENCH_DIST ?? join(__dirname, '..', 'dist'), env);
  try {
    const at = endpoint('tollgate', server);
    // The durable connection and the replica probe come up just after the server is ready.
    for (let i = 0; ; i++) {
      try {
        await issueToken(at);
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const connections = int('BENCH_CONNECTIONS', 64);
    await load(at, connections, int('BENCH_WARMUP', 2));
    const { result, latency } = await load(at, connections, int('BENCH_DURATION', 10));
    return {
      replicas,
      tokensPerSecond: result.requests.total / Math.max(0.01, result.duration),
      p50: latency.p50,
      p99: latency.p99,
      errors: result.non2xx + result.errors,
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const topology = await RedisTopology.start({ mode: 'sentinel', replicas: 2 });
  try {
    const runs: Row[] = [];
    for (let round = 0; round < Number(process.env.BENCH_ROUNDS ?? 3); round++) {
      for (const replicas of SETTINGS) {
        const run = await measure(topology, replicas);
        process.stdout.write(
          `round ${round + 1}, REDIS_WRITE_REPLICAS=${replicas}: ${Math.round(run.tokensPerSecond)} tokens/s\n`,
        );
        runs.push(run);
      }
    }
    const rows = SETTINGS.map((replicas) => {
      const mine = runs.filter((r) => r.replicas === replicas);
      mine.sort((a, b) => a.tokensPerSecond - b.tokensPerSecond);
      return mine[Math.floor(mine.length / 2)];
    });
    const base = rows[0].tokensPerSecond;
    process.stdout.write('| REDIS_WRITE_REPLICAS | tokens/s | vs 0 | p50 ms | p99 ms | errors |\n');
    process.stdout.write('|---|---|---|---|---|---|\n');
    for (const r of rows) {
      const ratio = `${Math.round((r.tokensPerSecond / base) * 100)} %`;
      process.stdout.write(
        `| ${r.replicas} | ${Math.round(r.tokensPerSecond)} | ${ratio} | ${r.p50.toFixed(2)} | ` +
          `${r.p99.toFixed(2)} | ${r.errors} |\n`,
      );
    }
    if (runs.some((r) => r.errors > 0)) process.exitCode = 1;
  } finally {
    await topology.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:durability: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
