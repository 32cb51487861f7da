import { execFile } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { keys } from '../../../src/redis/keys';
import { useTopology } from '../../support/redis-topology';
import { TEST_ENV } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const ROOT = join(__dirname, '../../..');
const PASSWORD = 'correct horse battery';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source with `stdin` piped in, as `npm run cli` runs the compiled one. */
function cli(args: string[], stdin = '', env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/admin/cli/main.ts', ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...TEST_ENV,
          ...topology().env(),
          PASSWORD_SCRYPT_N: '1024',
          ...env,
        },
        timeout: 30_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe('CLI: npm run cli -- users ...', () => {
  it('creates (password on stdin), disables, resets (password from the env) and deletes a user', async () => {
    const created = await cli(
      ['users', 'create', '--username', 'Alice', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).not.toContain(PASSWORD);
    const user = JSON.parse(created.stdout);
    expect(user).toMatchObject({ username: 'Alice', disabled: false });

    const disabled = await cli(['users', 'disable', '--id', user.user_id]);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ disabled: true });

    const reset = await cli(['users', 'reset-password', '--id', user.user_id], '', {
      TOLLGATE_USER_PASSWORD: 'another long passphrase',
    });
    expect(reset.code).toBe(0);
    const redis = new Redis(topology().env().REDIS_URL);
    try {
      const hash = await redis.hget(keys.user(user.user_id), 'password_hash');
      expect(hash).toMatch(/^scrypt\$1024\$/);
      const deleted = await cli(['users', 'delete', '--id', user.user_id]);
      expect(JSON.parse(deleted.stdout)).toEqual({
        user_id: user.user_id,
        deleted: true,
        revoked: 0,
        ended_sessions: 0,
      });
      expect(await redis.exists(keys.user(user.user_id), keys.username('alice'))).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses --password on the command line (exit 2) and a short password (exit 1)', async () => {
    const argv = await cli(['users', 'create', '--username', 'bob', '--password', PASSWORD]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/ps and shell history/);
    const short = await cli(
      ['users', 'create', '--username', 'bob', '--password-stdin'],
      'short\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password must be at least 12 characters/);
  });
});
