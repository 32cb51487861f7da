/** The real entry point (src/main.ts) refuses a bad configuration with one clear message. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

function runMain(env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 },
  );
}

describe('invalid configuration', () => {
  it('exits with code 1 and one message naming every bad variable, without a stack trace', () => {
    const result = runMain({
      PORT: 'http',
      REDIS_MODE: 'sentinel',
      REDIS_PASSWORD: 'do-not-print-me',
      REDIS_COMMAND_TIMEOUT_MS: '-5',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration (3 problems)');
    expect(result.stderr).toMatch(/PORT: .*\(got "http"\)/);
    expect(result.stderr).toMatch(/REDIS_SENTINELS: .*host:port/);
    expect(result.stderr).toMatch(/REDIS_COMMAND_TIMEOUT_MS: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toContain('do-not-print-me');
  });

  it('stops on a malformed clients bootstrap file with its problems listed, without a stack trace', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tollgate-bootstrap-')), 'clients.json');
    writeFileSync(file, JSON.stringify({ clients: [{ client_id: 'svc', type: 'martian' }] }));
    const result = runMain({ CLIENTS_BOOTSTRAP_FILE: file, LOG_LEVEL: 'silent', PORT: '0' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`CLIENTS_BOOTSTRAP_FILE ${file} is invalid`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
