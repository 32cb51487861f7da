/**
 * Issue 10 item 4: a Redis that may evict keys is a loud warning at start-up (log) and in
 * /health/dependencies; an ACL that forbids CONFIG GET is said as such.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { Writable } from 'node:stream';
import { createApp } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/load-config';
import { useTopology } from '../../support/redis-topology';
import { eventually, TEST_ENV } from '../../support/test-app';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';

interface Logged {
  app: NestFastifyApplication;
  url: string;
  lines: Array<{ level: number; msg: string }>;
}

async function startLogged(env: Record<string, string>): Promise<Logged> {
  // nestjs-pino keeps the first app's pino as the process-wide logger of Nest's Logger; each
  // app of this file needs its own sink.
  __resetOutOfContextForTests();
  const lines: Logged['lines'] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({ ...TEST_ENV, LOG_LEVEL: 'info', ADMIN_TOKEN, ...env });
  const app = await createApp(config, { logDestination: sink });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, lines };
}

async function dependencies(url: string) {
  const res = await fetch(`${url}/health/dependencies`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return (await res.json()) as {
    warnings: string[];
    redis: { clients: Array<{ name: string; maxmemoryPolicy: string | null; warning?: string }> };
  };
}

describe('maxmemory-policy check', () => {
  describe('on a Redis that evicts (allkeys-lru)', () => {
    const topology = useTopology({
      mode: 'standalone',
      extraConfig: ['maxmemory-policy allkeys-lru'],
    });

    it('logs an error at start-up and lists the warning in /health/dependencies', async () => {
      const logged = await startLogged(topology().env());
      try {
        await eventually(
          () =>
            logged.lines.some((l) => l.level === 50 && /maxmemory-policy allkeys-lru/.test(l.msg)),
          15_000,
          'the eviction policy error in the log',
        );
        const deps = await dependencies(logged.url);
        expect(deps.redis.clients.map((c) => c.maxmemoryPolicy)).toEqual([
          'allkeys-lru',
          'allkeys-lru',
        ]);
        expect(deps.warnings).toHaveLength(2);
        expect(deps.warnings[0]).toContain('set maxmemory-policy noeviction');
      } finally {
        await logged.app.close();
      }
    });
  });

  describe('on a Redis with noeviction', () => {
    const topology = useTopology({ mode: 'standalone' });

    it('reports the policy without a warning', async () => {
      const logged = await startLogged(topology().env());
      try {
        await eventually(async () =>
          (await dependencies(logged.url)).redis.clients.every((c) => c.maxmemoryPolicy),
        );
        const deps = await dependencies(logged.url);
        expect(deps.warnings).toEqual([]);
        expect(deps.redis.clients.map((c) => c.maxmemoryPolicy)).toEqual([
          'noeviction',
          'noeviction',
        ]);
        expect(logged.lines.filter((l) => /maxmemory-policy/.test(l.msg))).toEqual([]);
      } finally {
        await logged.app.close();
      }
    });

    it('says so when the ACL forbids CONFIG GET', async () => {
      const admin = new Redis(topology().redisUrl());
      await admin.call(
        'ACL',
        'SETUSER',
        'tollgate',
        'on',
        '>s3cret-pass',
        '~*',
        '&*',
        '+@all',
        '-config',
      );
      admin.disconnect();
      const logged = await startLogged({
        ...topology().env(),
        REDIS_USERNAME: 'tollgate',
        REDIS_PASSWORD: 's3cret-pass',
      });
      try {
        await eventually(
          () => logged.lines.some((l) => l.level === 40 && /CONFIG GET is not allowed/.test(l.msg)),
          15_000,
          `the ACL warning in the log: ${JSON.stringify(logged.lines.map((l) => l.msg))}`,
        );
        const deps = await dependencies(logged.url);
        expect(deps.redis.clients.map((c) => c.maxmemoryPolicy)).toEqual([null, null]);
        expect(deps.warnings[0]).toContain('CONFIG GET is not allowed');
        expect(JSON.stringify(logged.lines)).not.toContain('s3cret-pass');
      } finally {
        await logged.app.close();
      }
    });
  });
});
