/**
 * `npm run start:local`: one command for a new user. Starts a local Sentinel topology
 * (1 master, 2 replicas, 3 sentinels from the redis-server binary, the same code the
 * integration tests use), then the server from the TypeScript sources (no build step),
 * and tears everything down on Ctrl-C. Set LOCAL_REDIS_MODE=standalone for a single Redis.
 *
 * Development only: not part of the production build (tsconfig.build.json excludes src/dev).
 * It prints an admin credential, so the server listens on 127.0.0.1 unless HOST says
 * otherwise. Redis keeps nothing on disk here: every run starts empty.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RedisTopology, TopologyMode } from './redis-topology';

const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;

/** Polls /health/live until the server answers (it listens before Redis is ready). */
async function waitListening(url: string, server: { exitCode: number | null }): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && server.exitCode === null) {
    if (
      await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer on ${url} within ${READY_TIMEOUT_MS} ms`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const mode = (process.env.LOCAL_REDIS_MODE ?? 'sentinel') as TopologyMode;
  const topology = await RedisTopology.start({ mode });
  const say = (line: string) => process.stdout.write(`tollgate local: ${line}\n`);
  say(`Redis ${mode} topology ready in ${Date.now() - started} ms (${topology.dir})`);
  // A local-only admin credential, printed so a new user can try the admin API at once.
  const adminToken = process.env.ADMIN_TOKEN ?? randomBytes(32).toString('base64url');
  const host = process.env.HOST ?? '127.0.0.1';
  const port = process.env.PORT ?? '3000';
  const redisEnv = Object.entries(topology.env())
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const server = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        MANAGEMENT_HOST: '127.0.0.1',
        // The local server speaks plain http: a Secure session cookie would be dropped by
        // browsers that do not treat the address as a secure context.
        SESSION_COOKIE_SECURE: 'false',
        ...process.env,
        ...topology.env(),
        HOST: host,
        PORT: port,
        ADMIN_TOKEN: adminToken,
      },
    },
  );
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (server.exitCode === null) server.kill('SIGTERM');
    await new Promise((resolve) =>
      server.exitCode === null ? server.once('exit', resolve) : resolve(null),
    );
    await topology.stop();
    process.exit(code);
  };
  server.on('exit', (code) => void stop(code ?? 0));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  await waitListening(url, server);
  say(`ADMIN_TOKEN=${adminToken}`);
  say(`CLI against this topology: ${redisEnv} npm run cli -- clients list`);
  say(`listening on ${url} (ready ${Date.now() - started} ms after start)`);
  say('Ctrl-C stops the server and Redis; Redis data is discarded (every run starts empty)');
}

main().catch((err: unknown) => {
  process.stderr.write(`tollgate local: ${(err as Error).message}\n`);
  process.exit(1);
});
