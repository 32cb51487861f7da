/**
 * Real log output of the real app (the pino logger Fastify and Nest share): one line per
 * request, request ids honoured or generated, X-Forwarded-For believed only from trusted
 * proxies, and no credential in any line.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { createApp } from '../../../src/bootstrap';
import { ClientsService } from '../../../src/clients/clients.service';
import { loadConfig } from '../../../src/config/load-config';
import { useTopology } from '../../support/redis-topology';
import { eventually, TEST_ENV } from '../../support/test-app';

interface Logged {
  app: NestFastifyApplication;
  url: string;
  lines: string[];
  completed(): Array<{ reqId: string; req: { url: string; remoteAddress: string } }>;
}

async function startLogged(env: Record<string, string>): Promise<Logged> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({ ...TEST_ENV, LOG_LEVEL: 'info', ...env });
  const app = await createApp(config, { logDestination: sink });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const completed = () =>
    lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
  return { app, url: `http://127.0.0.1:${port}`, lines, completed };
}

describe('request log', () => {
  const topology = useTopology({ mode: 'standalone' });

  it('never writes a client secret, Basic credential or issued token', async () => {
    const logged = await startLogged(topology().env());
    try {
      await eventually(async () => (await fetch(`${logged.url}/health/ready`)).ok, 10_000);
      const { client, clientSecret } = await logged.app.get(ClientsService).create({
        name: 'log-test',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: ['cache:read'],
      });
      const basic = Buffer.from(`${client.id}:${clientSecret}`).toString('base64');
      const res = await fetch(`${logged.url}/oauth2/token?code=c0de-in-query`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          cookie: 'sid=c00kie',
        },
        body: 'grant_type=client_credentials&scope=cache:read',
      });
      expect(res.status).toBe(200);
      const { access_token: accessToken } = await res.json();
      expect(accessToken).toEqual(expect.any(String));
      await fetch(`${logged.url}/oauth2/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `token=${accessToken}`,
      });
      await eventually(() => logged.completed().length >= 2, 5_000, 'request lines');
      const out = logged.lines.join('\n');
      for (const secret of [basic, clientSecret!, accessToken, 'c0de-in-query', 'c00kie']) {
        expect(out).not.toContain(secret);
      }
      expect(logged.completed().map((l) => l.req.url)).toEqual(
        expect.arrayContaining(['/oauth2/token?code=[Redacted]', '/oauth2/introspect']),
      );
    } finally {
      await logged.app.close();
    }
  });

  it('honours a sane X-Request-Id, generates one otherwise, and echoes it', async () => {
    const logged = await startLogged(topology().env());
    try {
      const given = await fetch(`${logged.url}/nowhere`, {
        headers: { 'x-request-id': 'abc-123' },
      });
      expect(given.headers.get('x-request-id')).toBe('abc-123');
      const bad = await fetch(`${logged.url}/nowhere`, {
        headers: { 'x-request-id': 'x y\u00e9' },
      });
      expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await eventually(() => logged.completed().length >= 2, 5_000, 'request lines');
      expect(logged.completed().map((l) => l.reqId)).toEqual([
        'abc-123',
        bad.headers.get('x-request-id'),
      ]);
    } finally {
      await logged.app.close();
    }
  });

  it.each([
    ['off', 'false', '127.0.0.1'],
    ['a trusted proxy address', '127.0.0.1', '203.0.113.7'],
    ['one trusted hop', '1', '203.0.113.7'],
    ['an untrusted proxy address', '10.0.0.0/8', '127.0.0.1'],
  ])(
    'takes the client address from X-Forwarded-For only when trusted (%s)',
    async (_what, trust, ip) => {
      const logged = await startLogged({ ...topology().env(), TRUST_PROXY: trust });
      try {
        await fetch(`${logged.url}/nowhere`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
        await eventually(() => logged.completed().length >= 1, 5_000, 'request line');
        expect(logged.completed()[0].req.remoteAddress).toBe(ip);
      } finally {
        await logged.app.close();
      }
    },
  );
});
