import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { keys } from '../../../src/redis/keys';
import { useTopology } from '../../support/redis-topology';
import { TEST_ENV } from '../../support/test-app';

// The two commands the Helm chart's pre-install/pre-upgrade hook Job runs
// (helm/tollgate/templates/hook-job.yaml), against a real Redis.
const topology = useTopology({ mode: 'standalone' });
const ROOT = join(__dirname, '../../..');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/admin/cli/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...TEST_ENV, ...topology().env() }, timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('CLI: the Helm hook commands', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(topology().redisUrl());
  });
  afterAll(() => redis.quit());

  it('redis check passes on noeviction and fails, naming the setting, on AOF off or an evicting policy', async () => {
    const ok = await cli(['redis', 'check']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      role: 'master',
      maxmemoryPolicy: 'noeviction',
      problems: [],
    });

    await redis.config('SET', 'appendonly', 'no');
    const noAof = await cli(['redis', 'check', '--require-aof']);
    expect(noAof.code).toBe(1);
    expect(noAof.stderr).toContain('appendonly is off');
    expect(JSON.parse(noAof.stdout).aofEnabled).toBe(false);

    await redis.config('SET', 'appendonly', 'yes');
    expect((await cli(['redis', 'check', '--require-aof'])).code).toBe(0);

    const noReplicas = await cli(['redis', 'check', '--min-replicas', '1']);
    expect(noReplicas.code).toBe(1);
    expect(noReplicas.stderr).toContain('0 connected replicas, expected at least 1');

    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const evicting = await cli(['redis', 'check']);
      expect(evicting.code).toBe(1);
      expect(evicting.stderr).toContain('maxmemory-policy is allkeys-lru, expected noeviction');
    } finally {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('clients apply creates the declared clients once, then only checks them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-apply-'));
    const file = join(dir, 'clients.json');
    writeFileSync(
      file,
      JSON.stringify({
        clients: [
          {
            client_id: 'hook-svc',
            client_secret: 'a'.repeat(43),
            name: 'Hook service',
            type: 'confidential',
            grant_types: ['client_credentials'],
            scopes: ['cache:read'],
          },
        ],
      }),
    );
    const first = await cli(['clients', 'apply', '--file', file]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      clients: [{ client_id: 'hook-svc', created: true }],
    });
    expect(first.stdout).not.toContain('a'.repeat(43));
    const updatedAt = await redis.hget(keys.client('hook-svc'), 'updated_at');

    const again = await cli(['clients', 'apply', '--file', file]);
    expect(JSON.parse(again.stdout).clients).toEqual([{ client_id: 'hook-svc', created: false }]);
    expect(await redis.hget(keys.client('hook-svc'), 'updated_at')).toBe(updatedAt);
  });

  it('clients apply refuses an invalid file before writing anything', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tollgate-apply-')), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        clients: [
          { client_id: 'never-written', name: 'x', type: 'public', grant_types: [], scopes: [] },
          { client_id: 'bad', name: 'y', type: 'sideways', grant_types: [], scopes: ['nope'] },
        ],
      }),
    );
    const result = await cli(['clients', 'apply', '--file', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`CLIENTS_BOOTSTRAP_FILE ${file} is invalid`);
    expect(await redis.exists(keys.client('never-written'))).toBe(0);
  });
});
