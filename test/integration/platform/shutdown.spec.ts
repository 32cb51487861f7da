/**
 * Graceful shutdown of the real entry point: SIGTERM runs Nest's shutdown hooks (HTTP server
 * closed, both Redis clients closed with QUIT, which Redis counts), then the process ends by
 * the same signal, as Nest re-raises it after the hooks.
 */
import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { useTopology } from '../../support/redis-topology';
import { eventually } from '../../support/test-app';

const ROOT = join(__dirname, '..', '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('graceful shutdown', () => {
  const topology = useTopology({ mode: 'standalone' });

  it('closes the HTTP server, both Redis clients and the jobs connections on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          ...topology().env(),
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );
    const redis = new Redis(topology().redisUrl());
    const tollgateClients = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .filter((line) => / name=tollgate:/.test(line)).length;
    // BullMQ's connections (src/jobs): ours are named tollgate-jobs:*, BullMQ renames some
    // to its prefix tollgate_jobs:*.
    const jobsClients = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .filter((line) => / name=tollgate[-_]jobs:/.test(line)).length;
    const quitCalls = async () =>
      Number(/cmdstat_quit:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
    try {
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
        30_000,
        'server ready',
      );
      expect(await tollgateClients()).toBe(2);
      await eventually(async () => (await jobsClients()) >= 3, 10_000, 'the jobs connections');

      const quitsBefore = await quitCalls();
      child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      // Both clients and BullMQ's queue connection said QUIT (a killed process would just drop
      // its sockets); the cleanup worker is closed with force, which cuts its blocking BZPOPMIN.
      expect((await quitCalls()) - quitsBefore).toBe(3);
      await eventually(async () => (await tollgateClients()) === 0, 5_000, 'connections closed');
      await eventually(async () => (await jobsClients()) === 0, 5_000, 'jobs connections closed');
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      redis.disconnect();
    }
  });
});
