import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { keys } from '../../../src/redis/keys';
import { useTopology } from '../../support/redis-topology';
import { TEST_ENV } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const ROOT = join(__dirname, '../../..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source, as `npm run cli` runs the compiled one. */
async function cli(
  args: string[],
  env: Record<string, string> = topology().env(),
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/admin/cli/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...TEST_ENV, ...env }, timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('CLI: npm run cli -- clients ...', () => {
  it('creates, lists, rotates and deletes a client, printing JSON', async () => {
    const created = await cli([
      'clients',
      'create',
      '--id',
      'cli-app',
      '--name',
      'CLI app',
      '--type',
      'confidential',
      '--grant-types',
      'authorization_code,refresh_token',
      '--scopes',
      'openid profile',
      '--redirect-uris',
      'https://app.example.com/cb,http://127.0.0.1:8080/cb',
    ]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const client = JSON.parse(created.stdout);
    expect(client).toMatchObject({
      client_id: 'cli-app',
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile'],
      redirect_uris: ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb'],
    });
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const redis = new Redis(topology().redisUrl());
    try {
      expect(Object.values(await redis.hgetall(keys.client('cli-app')))).not.toContain(
        client.client_secret,
      );

      const listed = JSON.parse((await cli(['clients', 'list'])).stdout);
      expect(listed.clients.map((c: { client_id: string }) => c.client_id)).toEqual(['cli-app']);

      const rotated = await cli(['clients', 'rotate', '--id', 'cli-app']);
      expect(rotated.code).toBe(0);
      const secret = JSON.parse(rotated.stdout).client_secret;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(secret).not.toBe(client.client_secret);
      expect(await redis.hexists(keys.client('cli-app'), 'previous_secret_hash')).toBe(1);

      const cutOff = await cli(['clients', 'rotate', '--id', 'cli-app', '--grace-seconds', '0']);
      expect(cutOff.code).toBe(0);
      expect(await redis.hexists(keys.client('cli-app'), 'previous_secret_hash')).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it('delete removes the client and revokes its tokens; revoke-tokens prints the count (needs the tokens branch: TokensService.revokeAllForClient)', async () => {
    // A fresh id per attempt: a retried test must not meet the client of its first attempt.
    const id = `cli-doomed-${Math.random().toString(36).slice(2, 8)}`;
    const created = await cli([
      'clients',
      'create',
      '--id',
      id,
      '--name',
      'Doomed',
      '--type',
      'confidential',
      '--grant-types',
      'client_credentials',
    ]);
    expect(created.code).toBe(0);
    const revoked = await cli(['clients', 'revoke-tokens', '--id', id]);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(revoked.stdout)).toEqual({ client_id: id, revoked: 0 });
    const deleted = await cli(['clients', 'delete', '--id', id]);
    expect(deleted).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(deleted.stdout)).toEqual({
      client_id: id,
      deleted: true,
      revoked: 0,
    });
    const redis = new Redis(topology().redisUrl());
    try {
      expect(await redis.exists(keys.client(id))).toBe(0);
      expect(await redis.sismember(keys.clientIndex(), id)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it('reports errors on stderr with exit code 1', async () => {
    const missing = await cli(['clients', 'delete', '--id', 'nobody']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('not found');

    const invalid = await cli([
      'clients',
      'create',
      '--name',
      'x',
      '--type',
      'public',
      '--grant-types',
      'client_credentials',
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('public clients may not use the client_credentials grant');
  });

  it('exits 2 with the usage text for a wrong command line', async () => {
    const res = await cli(['clients', 'explode']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('usage: tollgate-cli clients');
  });

  it('gives up with a clear message when Redis stays unreachable', async () => {
    const started = Date.now();
    const res = await cli(['clients', 'list'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Redis not reachable within 10 s/);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
