/**
 * Issue 12 item 5: Sentinel mode as production secures it: TLS on every data node and every
 * Sentinel (replication and Sentinel links over TLS too), ACL users on the data nodes and on
 * the Sentinels with the rules the chart ships, `default` off everywhere. The whole flow and
 * the jobs run with those permissions only, before and after the master is killed.
 */
import Redis from 'ioredis';
import { useTopology } from '../../support/redis-topology';
import { eventually } from '../../support/test-app';
import {
  aclDenials,
  aclLine,
  asAdmin,
  credentials,
  exerciseFlow,
  FAST_JOBS,
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
const watcher = newUser('sentinel-client');
const rules = shippedAclRules();

interface Dependencies {
  redis: {
    sentinel: {
      master: string | null;
      sentinels: Array<{ master: string | null; error?: string }>;
    };
    clients: Array<{ name: string; state: string; address: string | null }>;
  };
}

describe('Sentinel topology over TLS with ACL users', () => {
  const topology = useTopology({
    mode: 'sentinel',
    tls: true,
    aclUsers: [aclLine(app, 'app', rules), aclLine(jobs, 'jobs', rules)],
    sentinelAclUsers: [aclLine(watcher, 'sentinel-client', rules)],
  });
  let running: LoggedApp | undefined;

  afterAll(async () => {
    await running?.close();
  });

  /** Every Sentinel's ACL LOG entries for the app's Sentinel user. */
  async function sentinelDenials(): Promise<string[]> {
    const out: string[] = [];
    for (const address of topology().sentinelAddresses()) {
      const client = new Redis(topology().sentinelAdminOptions(address));
      try {
        await client.connect();
        const log = (await client.call('ACL', 'LOG')) as unknown[][];
        for (const entry of log) {
          const text = entry.map(String).join(' ');
          if (text.includes(watcher.username)) out.push(text);
        }
      } finally {
        client.disconnect();
      }
    }
    return out;
  }

  it('runs the flow and the jobs, and follows a killed master, over TLS with only the shipped permissions', async () => {
    await running?.close(); // a retried attempt starts from a fresh app
    await resetAclLog(topology());
    running = await startLogged({
      ...topology().env(),
      ...credentials(app, jobs),
      REDIS_SENTINEL_USERNAME: watcher.username,
      REDIS_SENTINEL_PASSWORD: watcher.password,
      // As production: every token write waits for a replica (WAIT), on the app's user too.
      REDIS_WRITE_REPLICAS: '1',
      ...FAST_JOBS,
    });
    const url = running.url;
    await waitReady(running);
    await exerciseFlow(running);
    expect(await waitForEveryJob(running)).toHaveLength(3);

    // /health/dependencies asks every Sentinel itself, over TLS and as the Sentinel user.
    const oldMaster = await topology().currentMaster();
    const deps = (await (
      await fetch(`${url}/health/dependencies`, asAdmin)
    ).json()) as Dependencies;
    expect(deps.redis.sentinel.sentinels.map((s) => s.error)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(deps.redis.sentinel.master).toBe(`${oldMaster.host}:${oldMaster.port}`);

    const killedAt = Date.now();
    await topology().killMaster();
    await topology().waitForFailover(oldMaster);
    const attempts: string[] = [];
    await eventually(
      async () => {
        await exerciseFlow(running!).catch((err: Error) => {
          attempts.push(`${Date.now() - killedAt} ms: ${err.message.split('\n')[0]}`);
          throw err;
        });
        return true;
      },
      20_000,
      'the flow on the new master',
    );
    const recoveryMs = Date.now() - killedAt;
    process.stdout.write(`failed attempts after the kill:\n${attempts.join('\n')}\n`);
    expect(await waitForEveryJob(running)).toHaveLength(3);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    expect(await aclDenials(topology(), [app, jobs])).toEqual([]);
    expect(await sentinelDenials()).toEqual([]);
    const problems = running
      .problems()
      .filter((l) => /\[Redis:acl\]|cannot connect: (TLS|auth)/.test(l));
    expect(problems).toEqual([]);
    // Not a timed assertion: printed so the suite log shows what the failover cost over TLS.
    process.stdout.write(
      `TLS + ACL sentinel failover: flow again ${recoveryMs} ms after the kill\n`,
    );
  });

  it('with a wrong CA or a wrong Sentinel password: a clear log line, 503s, and it keeps running', async () => {
    await running?.close();
    running = undefined;
    const base = {
      ...topology().env(),
      ...credentials(app, jobs),
      REDIS_SENTINEL_USERNAME: watcher.username,
      REDIS_SENTINEL_PASSWORD: watcher.password,
    };
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      // The server certificate is not signed by the system CAs either.
      ['wrong CA', { REDIS_TLS_CA_FILE: '' }, /TLS: the Redis Sentinel certificate is not trusted/],
      [
        'wrong Sentinel password',
        { REDIS_SENTINEL_PASSWORD: 'not-the-password' },
        new RegExp(
          `authentication failed: Redis Sentinel refused the login of user "${watcher.username}".*` +
            'REDIS_SENTINEL_USERNAME and REDIS_SENTINEL_PASSWORD',
        ),
      ],
    ];
    for (const [label, env, expected] of cases) {
      const broken = await startLogged({ ...base, ...env });
      try {
        await eventually(
          () => broken.problems().some((l) => expected.test(l)),
          10_000,
          `${label}: a log line matching ${expected}`,
        ).catch(async (err: Error) => {
          const deps = await (await fetch(`${broken.url}/health/dependencies`, asAdmin)).text();
          throw new Error(`${err.message}\nlogged: ${broken.problems().join('\n')}\n${deps}`);
        });
        expect(broken.problems().join('\n')).not.toContain('not-the-password');
        expect((await fetch(`${broken.url}/health/ready`)).status).toBe(503);
        const token = await fetch(`${broken.url}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&client_id=nobody&client_secret=x',
        });
        expect(token.status).toBe(503);
        expect((await fetch(`${broken.url}/health/live`)).status).toBe(200);
      } finally {
        await broken.close();
      }
    }
  });
});
