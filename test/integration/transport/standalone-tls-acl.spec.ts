/**
 * Issue 12 item 5: a standalone Redis as production secures it: TLS only (a test CA) and ACL
 * users with the rules the chart ships (helm/tollgate/files/redis-users.acl), `default` off.
 * The whole flow runs with those permissions only; a wrong CA, a wrong password and a missing
 * permission each give a clear log line and 503s, never a 500 or a crash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { parseCliArgs } from '../../../src/admin/cli/cli-args';
import { CliModule } from '../../../src/admin/cli/cli.module';
import type { RedisCliCommand } from '../../../src/admin/cli/redis-cli-args';
import { runRedisCommand } from '../../../src/admin/cli/redis-command';
import { waitForRedis } from '../../../src/admin/cli/wait-for-redis';
import { loadConfig } from '../../../src/config/load-config';
import { makeTestCa } from '../../../src/dev/test-certificates';
import type { RedisConnection } from '../../../src/redis/redis-connection';
import { REDIS_AUTH_CONNECTION } from '../../../src/redis/redis.tokens';
import { useTopology } from '../../support/redis-topology';
import { eventually, TEST_ENV } from '../../support/test-app';
import {
  aclDenials,
  aclLine,
  asAdmin,
  cachePut,
  credentials,
  exerciseFlow,
  FAST_JOBS,
  issueToken,
  LoggedApp,
  newUser,
  resetAclLog,
  shippedAclRules,
  startLogged,
  waitForEveryJob,
  waitReady,
} from './transport-support';

const app = newUser('app');
const jobs = newUser('jobs');
const rules = shippedAclRules();
/** The app's user without the scripting commands (every write of the app is a Lua script). */
const noScripts = newUser('no-scripts');
/** The app's user without the service cache's keys. */
const noCacheKeys = newUser('no-cache-keys');

/**
 * `redis check` as the CLI (and the preflight hook Job) runs it, in-process: the CLI's module,
 * its wait for Redis, the check. Spawning the CLI costs seconds of ts-node start-up per run.
 */
async function redisCheck(env: Record<string, string>): Promise<unknown> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  try {
    const auth = context.get<RedisConnection>(REDIS_AUTH_CONNECTION);
    await waitForRedis(auth, 10_000);
    return await runRedisCommand(auth, parseCliArgs(['redis', 'check']) as RedisCliCommand);
  } finally {
    await context.close();
  }
}

const tokenRequest = (url: string) =>
  fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=nobody&client_secret=x',
  });

describe('standalone Redis over TLS with ACL users', () => {
  const topology = useTopology({
    mode: 'standalone',
    tls: true,
    aclUsers: [
      aclLine(app, 'app', rules),
      aclLine(jobs, 'jobs', rules),
      `${aclLine(noScripts, 'app', rules)} -evalsha -eval`,
      aclLine(noCacheKeys, 'app', rules).replace(' ~cache:*', ''),
    ],
  });
  let running: LoggedApp | undefined;
  let otherCa: string;

  beforeAll(() => {
    otherCa = mkdtempSync(path.join(os.tmpdir(), 'tollgate-other-ca-'));
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  afterAll(() => rmSync(otherCa, { recursive: true, force: true }));

  it('issues, introspects and revokes tokens, serves the cache and runs the jobs with only the shipped permissions', async () => {
    await resetAclLog(topology());
    running = await startLogged({ ...topology().env(), ...credentials(app, jobs), ...FAST_JOBS });
    await waitReady(running);
    await exerciseFlow(running);
    expect(await waitForEveryJob(running)).toHaveLength(3);
    // Nothing was refused: not a command, a key or a channel of the app's or BullMQ's.
    expect(await aclDenials(topology(), [app, jobs])).toEqual([]);
    // The one thing the shipped rules deny on purpose is CONFIG GET: a warning, not an error.
    const problems = running.problems();
    expect(problems.filter((l) => /\[Redis:acl\]|cannot connect|NOPERM/.test(l))).toEqual(
      problems.filter((l) => l.includes('CONFIG GET is not allowed')),
    );
    expect(problems.some((l) => l.includes('CONFIG GET is not allowed'))).toBe(true);
  });

  it('with a CA that did not sign the server: a clear log line, 503s, and it keeps running', async () => {
    const wrong = makeTestCa(otherCa, 'an unrelated CA');
    running = await startLogged({
      ...topology().env(),
      ...credentials(app, jobs),
      REDIS_TLS_CA_FILE: wrong.caFile,
    });
    const url = running.url;
    await eventually(
      () => running!.problems().some((l) => /TLS/.test(l) && /REDIS_TLS_CA_FILE/.test(l)),
      10_000,
      'a log line naming TLS and REDIS_TLS_CA_FILE',
    );
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    const token = await tokenRequest(url);
    expect(token.status).toBe(503);
    expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    process.stdout.write(`wrong CA logs: ${JSON.stringify(running.problems().slice(0, 3))}\n`);
  });

  it('with a wrong password: a clear log line naming the user, 503s, and it keeps running', async () => {
    running = await startLogged({
      ...topology().env(),
      ...credentials(app, jobs),
      REDIS_PASSWORD: 'not-the-password',
    });
    const url = running.url;
    await eventually(
      () =>
        running!
          .problems()
          .some(
            (l) =>
              /authentication/i.test(l) && l.includes(app.username) && /REDIS_PASSWORD/.test(l),
          ),
      10_000,
      'a log line naming the failed login and REDIS_PASSWORD',
    );
    expect(running.problems().join('\n')).not.toContain('not-the-password');
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    expect((await tokenRequest(url)).status).toBe(503);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it('without a permission the scripts need: the denied command in the log and 503, never 500', async () => {
    running = await startLogged({ ...topology().env(), ...credentials(noScripts, jobs) });
    await waitReady(running);
    // Registering a client is one Lua script (record and index together), so the admin API
    // runs into the denial; readiness does not (PING and INFO are allowed).
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${running.url}/api/v1/admin/clients`, {
        method: 'POST',
        headers: { ...asAdmin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Billing',
          type: 'confidential',
          grant_types: ['client_credentials'],
          scopes: ['cache:read'],
        }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }
    const denied = running.problems().filter((l) => l.startsWith('[Redis:acl]'));
    process.stdout.write(`missing command logs: ${JSON.stringify(denied)}\n`);
    expect(denied.some((l) => /NOPERM.*'evalsha'/.test(l) && l.includes('REDIS_USERNAME'))).toBe(
      true,
    );
    // One line for the repeated denial, not one per request.
    expect(denied.length).toBeLessThanOrEqual(2);
  });

  it('without the cache key pattern: the denied key access in the log and 503 on the cache API', async () => {
    running = await startLogged({ ...topology().env(), ...credentials(noCacheKeys, jobs) });
    await waitReady(running);
    const issued = await issueToken(running);
    const put = await cachePut(running, issued, 'refused');
    expect(put.status).toBe(503);
    expect(await put.json()).toMatchObject({ error: 'temporarily_unavailable' });
    const denied = running.problems().filter((l) => l.startsWith('[Redis:acl]'));
    process.stdout.write(`missing key pattern logs: ${JSON.stringify(denied)}\n`);
    // Redis's reply does not say which key; the line names the keys the command was sent with.
    expect(denied.some((l) => /NOPERM.*keys.*cache:resource:/.test(l))).toBe(true);
  });

  it('redis check (the preflight hook) passes as the app user over TLS, and names a wrong password at once', async () => {
    const env = { ...topology().env(), ...credentials(app, jobs) };
    expect(await redisCheck(env)).toMatchObject({ role: 'master', maxmemoryPolicy: 'noeviction' });

    const started = Date.now();
    const refused = redisCheck({ ...env, REDIS_PASSWORD: 'not-the-password' });
    await expect(refused).rejects.toThrow(
      new RegExp(
        `^Redis: authentication failed: Redis refused the login of user "${app.username}".*` +
          'check REDIS_USERNAME and REDIS_PASSWORD',
      ),
    );
    await expect(refused).rejects.not.toThrow(/not-the-password/);
    // Printed, not asserted: before, the CLI waited its 10 s for Redis and said only WRONGPASS.
    process.stdout.write(
      `redis check with a wrong password failed after ${Date.now() - started} ms\n`,
    );
  });
});
