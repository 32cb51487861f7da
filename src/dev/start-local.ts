/**
 * `npm run start:local`: one command for a new user. Starts a local Sentinel topology
 * (1 master, 2 replicas, 3 sentinels from the redis-server binary, the same code the
 * integration tests use), then the server against it, and tears everything down on
 * Ctrl-C. Set LOCAL_REDIS_MODE=standalone for a single Redis.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RedisTopology, TopologyMode } from './redis-topology';

async function main(): Promise<void> {
  const mode = (process.env.LOCAL_REDIS_MODE ?? 'sentinel') as TopologyMode;
  const started = Date.now();
  const topology = await RedisTopology.start({ mode });
  process.stdout.write(
    `tollgate local: Redis ${mode} topology ready in ${Date.now() - started} ms (${topology.dir})\n`,
  );
  // A local-only admin credential, printed so a new user can try the admin API at once.
  const adminToken = process.env.ADMIN_TOKEN ?? randomBytes(32).toString('base64url');
  const redisEnv = Object.entries(topology.env())
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(
    `tollgate local: ADMIN_TOKEN=${adminToken}\n` +
      `tollgate local: CLI against this topology: ${redisEnv} npm run cli -- clients list\n`,
  );
  const server = spawn(process.execPath, [join(__dirname, '..', 'main.js')], {
    stdio: 'inherit',
    env: { ...process.env, ...topology.env(), ADMIN_TOKEN: adminToken },
  });
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
}

main().catch((err: unknown) => {
  process.stderr.write(`tollgate local: ${(err as Error).message}\n`);
  process.exit(1);
});
