/**
 * Secrets stay secret (no token value, code, verifier or client secret in Redis or in the
 * debug logs of the real server process), and a Redis outage is 503 temporarily_unavailable.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { TEST_ENV, eventually, type RunningApp } from '../support/test-app';
import { useTopology } from '../support/redis-topology';
import {
  createClient,
  expectError,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
  startReadyApp,
} from './support/oauth-fixtures';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every key and every value in the DB, as strings. */
async function dumpAll(redis: Redis): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', '500');
    cursor = next;
    for (const key of batch) {
      out.push(key);
      const type = await redis.type(key);
      if (type === 'hash') out.push(...Object.entries(await redis.hgetall(key)).flat());
      if (type === 'set') out.push(...(await redis.smembers(key)));
      if (type === 'zset') out.push(...(await redis.zrange(key, '0', '-1')));
      if (type === 'list') out.push(...(await redis.lrange(key, 0, -1)));
      if (type === 'string') out.push((await redis.get(key)) ?? '');
    }
  } while (cursor !== '0');
  return out;
}

/** Runs every OAuth flow once against `target`, returning each secret value it handled. */
async function exerciseEveryFlow(target: RunningApp, fixtures: RunningApp): Promise<string[]> {
  const client = await createClient(fixtures);
  const basic = { basic: [client.id, client.secret] as const };
  const cc = await post(target, '/oauth2/token', { grant_type: 'client_credentials' }, basic);
  const { verifier, challenge } = pkcePair();
  const code = await mintCode(fixtures, client.id, challenge);
  const redeem = {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
  };
  const ac = await post(target, '/oauth2/token', redeem, basic);
  const first = ac.body as { access_token: string; refresh_token: string };
  const rotated = await post(
    target,
    '/oauth2/token',
    { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    basic,
  );
  const second = rotated.body as { access_token: string; refresh_token: string };
  // Reuse detection logs a warning: it must not carry the token.
  await post(
    target,
    '/oauth2/token',
    { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    basic,
  );
  await post(target, '/oauth2/introspect', { token: second.access_token }, basic);
  await post(target, '/oauth2/revoke', { token: second.refresh_token }, basic);
  await post(target, '/oauth2/token', {
    grant_type: 'client_credentials',
    client_id: client.id,
    client_secret: client.secret,
  });
  await post(
    target,
    '/oauth2/token',
    { grant_type: 'client_credentials' },
    { basic: [client.id, `${client.secret}x`] },
  );
  const secrets = [
    client.secret,
    (cc.body as { access_token: string }).access_token,
    code,
    verifier,
    first.access_token,
    first.refresh_token,
    second.access_token,
    second.refresh_token,
  ];
  expect(secrets.every((s) => typeof s === 'string' && s.length >= 32)).toBe(true);
  return secrets;
}

describe('secrets never leave the server', () => {
  const topology = useTopology({ mode: 'standalone' });
  let fixtures: RunningApp;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    fixtures = await startReadyApp(topology().env());
  });
  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    await fixtures?.close();
  });

  async function startServerProcess(): Promise<RunningApp> {
    const port = await freePort();
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: `${__dirname}/../..`,
      env: {
        ...process.env,
        ...TEST_ENV,
        ...topology().env(),
        LOG_LEVEL: 'debug',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      async () => (await fetch(`${url}/health/ready`)).ok,
      45_000,
      'server process ready',
    );
    return { url, app: fixtures.app, config: fixtures.config, close: async () => undefined };
  }

  it('keeps token values, codes, verifiers and client secrets out of Redis and out of debug logs', async () => {
    const server = await startServerProcess();

    const secrets = await exerciseEveryFlow(server, fixtures);

    const redis = new Redis(topology().redisUrl(), { lazyConnect: true });
    await redis.connect();
    const stored = (await dumpAll(redis)).join('\n');
    await redis.quit();
    expect(stored).toContain('auth:access_token:');
    // The capture works: request lines and the reuse warning are there.
    expect(output).toContain('"url":"/oauth2/token"');
    expect(output).toContain('refresh token reuse detected');
    for (const secret of secrets) {
      expect(stored.includes(secret)).toBe(false);
      expect(output.includes(secret)).toBe(false);
    }
  }, 90_000);
});

describe('Redis outage on the OAuth endpoints', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;
  let client: { id: string; secret: string };

  beforeAll(async () => {
    running = await startReadyApp(topology().env());
    client = await createClient(running);
  });
  afterAll(async () => {
    await running?.close();
  });

  it('answers 503 temporarily_unavailable with Retry-After on token, introspect and revoke', async () => {
    await topology().stopNode(topology().dataNodes[0].port);
    const basic = { basic: [client.id, client.secret] as const };

    const responses = [
      await post(running, '/oauth2/token', { grant_type: 'client_credentials' }, basic),
      await post(
        running,
        '/oauth2/token',
        { grant_type: 'refresh_token', refresh_token: 'x' },
        basic,
      ),
      await post(running, '/oauth2/introspect', { token: 'x' }, basic),
      await post(running, '/oauth2/revoke', { token: 'x' }, basic),
    ];

    for (const res of responses) {
      expectError(
        res,
        503,
        'temporarily_unavailable',
        'The authorization server is temporarily unavailable; retry later',
      );
      expect(res.headers.get('retry-after')).toBe('5');
    }
  });
});
