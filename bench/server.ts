/**
 * The benchmarked server: a child process of bench/run.ts, so autocannon never shares its
 * event loop. It runs the compiled production code from dist/ (BENCH_DIST_DIR, built by
 * `npm run bench`) through the same loadConfig + createApp as src/main.ts; run.ts transpiles
 * this file to plain JS first, so no TypeScript compiler sits in the measured memory. The
 * imports from src/ below are types only.
 *
 * Bench-only additions, never in production code: a bare `GET /bench/hello` route on the
 * Fastify instance (the ceiling: same process, plugins and hooks, no Redis), a confidential
 * client with client_credentials and `cache:read`, and one with `cache:read`, `cache:write`
 * and the cache namespace `bench` for the cache routes (so the OAuth cells' client stays as
 * the peer's), both reported to the parent over IPC together with the port.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Bootstrap from '../src/bootstrap';
import type * as ClientsServiceModule from '../src/clients/clients.service';
import type * as LoadConfig from '../src/config/load-config';
import type { RedisConnection } from '../src/redis/redis-connection';
import type * as RedisTokens from '../src/redis/redis.tokens';
import type {
  CpuMessage,
  MemoryMessage,
  ParentMessage,
  ReadyMessage,
  ServerMessage,
} from './protocol';

const READY_TIMEOUT_MS = 20_000;
/** The service cache namespace of the cache routes. */
const CACHE_SERVICE = 'bench';

function send(message: ServerMessage): void {
  process.send?.(message);
}

/** Loads modules of the compiled app, resolving dependencies from the project. */
function distLoader(): NodeJS.Require {
  const distDir = process.env.BENCH_DIST_DIR;
  if (!distDir) throw new Error('BENCH_DIST_DIR is not set (run through bench/run.ts)');
  return createRequire(join(distDir, 'main.js'));
}

/**
 * Redis connects in the background (startup never blocks on it): wait for the auth
 * connection directly, since polling /health/ready would log a failed check per poll.
 */
async function waitForRedis(connection: RedisConnection): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!connection.isReady()) {
    if (Date.now() > deadline) throw new Error(`Redis not ready after ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function answer(message: ParentMessage): void {
  if (message.type === 'cpu') {
    const reply: CpuMessage = { type: 'cpu', ...process.cpuUsage() };
    send(reply);
    return;
  }
  const { rss, heapUsed } = process.memoryUsage();
  // run.ts starts us with --expose-gc: the live heap after a full collection shows leaks,
  // heapUsed alone mostly shows when the last collection happened.
  globalThis.gc?.();
  const liveHeap = process.memoryUsage().heapUsed;
  const reply: MemoryMessage = {
    type: 'memory',
    rss,
    peakRss: peakRssBytes(),
    heapUsed,
    liveHeap,
  };
  send(reply);
}

async function main(): Promise<void> {
  const load = distLoader();
  load('reflect-metadata');
  const { createApp } = load('./bootstrap') as typeof Bootstrap;
  const { loadConfig } = load('./config/load-config') as typeof LoadConfig;
  const { ClientsService } = load('./clients/clients.service') as typeof ClientsServiceModule;
  const { REDIS_AUTH_CONNECTION } = load('./redis/redis.tokens') as typeof RedisTokens;

  const app = await createApp(loadConfig(process.env));
  app
    .getHttpAdapter()
    .getInstance()
    .get('/bench/hello', (_request, reply) => {
      void reply.type('text/plain').send('hello');
    });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  await waitForRedis(app.get<RedisConnection>(REDIS_AUTH_CONNECTION));

  const { client, clientSecret } = await app.get(ClientsService).create({
    name: 'bench',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['cache:read'],
  });
  const cache = await app.get(ClientsService).create({
    name: 'bench cache',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['cache:read', 'cache:write'],
    cacheServices: [CACHE_SERVICE],
  });
  if (!clientSecret || !cache.clientSecret) {
    throw new Error('confidential client created without a secret');
  }
  process.on('message', answer);
  const ready: ReadyMessage = {
    type: 'ready',
    port: address.port,
    clientId: client.id,
    clientSecret,
    cacheClient: { id: cache.client.id, secret: cache.clientSecret, service: CACHE_SERVICE },
  };
  send(ready);
}

// The parent's death closes the IPC channel: never outlive it.
process.on('disconnect', () => process.exit(0));

main().catch((err: unknown) => {
  process.stderr.write(`bench server: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
