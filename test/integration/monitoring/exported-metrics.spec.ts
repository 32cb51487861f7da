/**
 * Every metric the alert rules and the Grafana dashboard read is really exported: the app's
 * names by the running server (scraped on MANAGEMENT_PORT after exercising the token,
 * introspection and revocation endpoints, the sign-in flow, the service cache API and a
 * Redis reconnect), the redis_* names by the checked-in list and, when Debian's
 * prometheus-redis-exporter is installed, by a live scrape of the harness's master, replica
 * and Sentinel.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withClient } from '../../../src/dev/redis-process';
import { ManagementServer } from '../../../src/management/management-server';
import {
  createClient,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
} from '../../e2e/support/oauth-fixtures';
import { Browser, paramsOf } from '../authorize/browser';
import {
  authorizeUrl,
  consent,
  createUser,
  login,
  redeem,
  startFlowApp,
} from '../authorize/flow-support';
import {
  checkedInExporterNames,
  EXPORTER_METRICS_FILE,
  exportedNames,
  usedMetricNames,
} from '../../support/monitoring-assets';
import { EXPORTER_BINARY, RedisExporter } from '../../support/redis-exporter';
import { cacheCall, tokenFor } from '../cache/cache-api-fixtures';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp } from '../../support/test-app';

const used = usedMetricNames();

describe('metrics used by the alerts and the dashboard', () => {
  const topology = useTopology({ mode: 'sentinel' });
  let running: RunningApp;
  let metricsUrl: string;

  beforeAll(async () => {
    running = await startFlowApp({
      ...topology().env(),
      MANAGEMENT_PORT: '0',
      MANAGEMENT_HOST: '127.0.0.1',
      REDIS_WRITE_REPLICAS: '1',
      // One entry per service, so the second write evicts and the eviction counter exists.
      CACHE_MAX_ENTRIES_PER_SERVICE: '1',
    });
    metricsUrl = `http://127.0.0.1:${running.app.get(ManagementServer).address()?.port}/metrics`;
  });
  afterAll(async () => {
    await running?.close();
  });

  /** Issues, rotates, reuses, introspects and revokes tokens over HTTP. */
  async function exerciseEndpoints(): Promise<void> {
    const client = await createClient(running);
    const basic = [client.id, client.secret] as const;
    const cc = await post(
      running,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { basic },
    );
    expect(cc.status).toBe(200);
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(running, client.id, challenge);
    const issued = await post(
      running,
      '/oauth2/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
      { basic },
    );
    expect(issued.status).toBe(200);
    const first = issued.body as { access_token: string; refresh_token: string };
    const refresh = { grant_type: 'refresh_token', refresh_token: first.refresh_token };
    expect((await post(running, '/oauth2/token', refresh, { basic })).status).toBe(200);
    // Reusing the rotated refresh token revokes the family (strict mode, no grace window).
    expect((await post(running, '/oauth2/token', refresh, { basic })).status).toBe(400);
    const access = (cc.body as { access_token: string }).access_token;
    for (const token of [access, 'not-a-token']) {
      expect((await post(running, '/oauth2/introspect', { token }, { basic })).status).toBe(200);
    }
    for (const token of [access, 'not-a-token']) {
      expect((await post(running, '/oauth2/revoke', { token }, { basic })).status).toBe(200);
    }
  }

  /**
   * Authorize -> a wrong password -> sign-in -> consent -> code -> redemption, then a replay
   * of the code: logins (ok, failed), consents, codes (issued, redeemed, replayed), sessions.
   */
  async function exerciseSignIn(): Promise<void> {
    const client = await createClient(running);
    const user = await createUser(running);
    const browser = new Browser(running.url);
    const { verifier, challenge } = pkcePair();
    const start = await browser.get(authorizeUrl({ clientId: client.id, challenge }));
    const loginPage = start.location!;
    expect((await login(browser, loginPage, user.username, 'not the password')).status).toBe(401);
    const signedIn = await login(browser, loginPage, user.username);
    expect(signedIn.status).toBe(303);
    const { code } = paramsOf((await consent(browser, signedIn.location!, 'allow')).location);
    expect((await redeem(running, client, code, verifier)).status).toBe(200);
    expect((await redeem(running, client, code, verifier)).status).toBe(400);
  }

  /**
   * Writes, hits, misses and evicts in the service cache: prom-client exports a labelled
   * counter only once a label set was incremented, so each one the rules read must happen.
   */
  async function exerciseCache(): Promise<void> {
    const token = await tokenFor(running, 'cache:read cache:write', { cacheServices: ['metrics'] });
    const call = (method: string, key: string, body?: string) =>
      cacheCall(running, token, method, `metrics/${key}`, { body });
    expect((await call('PUT', 'first', 'one')).status).toBe(201);
    expect((await call('GET', 'first')).status).toBe(200);
    expect((await call('GET', 'absent')).status).toBe(404);
    expect((await call('PUT', 'second', 'two')).status).toBe(201);
    expect((await call('GET', 'first')).status).toBe(404); // evicted by the second write
  }

  /** Drops the app's connections to the master (CLIENT KILL skips its own), so they reconnect. */
  async function forceReconnect(): Promise<void> {
    const master = await topology().currentMaster();
    await withClient(master.port, (c) => c.call('CLIENT', 'KILL', 'TYPE', 'normal'));
    await eventually(
      async () =>
        (await (await fetch(metricsUrl)).text()).includes('tollgate_redis_reconnects_total{'),
      10_000,
      'a reconnect to be counted',
    );
    await eventually(async () => (await fetch(`${running.url}/health/ready`)).ok, 15_000, 'ready');
  }

  it('exports every tollgate_*, process_* and nodejs_* name they read, from the management port', async () => {
    await exerciseEndpoints();
    await exerciseSignIn();
    await exerciseCache();
    await forceReconnect();
    const scrape = await (await fetch(metricsUrl)).text();
    const exported = exportedNames(scrape);
    expect(used.app.length).toBeGreaterThan(10);
    expect(used.app.filter((name) => !exported.has(name))).toEqual([]);
    // The label sets the sign-in alerts select on, counted by the flow above.
    for (const series of [
      'tollgate_logins_total{result="failed"} 1',
      'tollgate_logins_total{result="ok"} 1',
      'tollgate_consents_total{decision="granted"} 1',
      'tollgate_authorization_codes_total{event="replayed"} 1',
    ]) {
      expect(scrape.split('\n')).toContain(series);
    }
  });

  it('reads only redis_* names in the list checked in from a real exporter scrape', () => {
    const list = checkedInExporterNames();
    expect(used.redis.length).toBeGreaterThan(5);
    expect(used.redis.filter((name) => !list.has(name))).toEqual([]);
  });

  const withExporter = EXPORTER_BINARY ? it : it.skip;
  const reason = EXPORTER_BINARY
    ? ''
    : ' (SKIPPED: prometheus-redis-exporter is not installed; apt-get install prometheus-redis-exporter, or run .ci/check-monitoring)';
  withExporter(
    `finds every redis_* name they read in a live exporter scrape of master, replica and Sentinel${reason}`,
    async () => {
      const exporter = await RedisExporter.start(EXPORTER_BINARY ?? '');
      try {
        const master = await topology().currentMaster();
        const replica = topology().dataNodes.find((n) => n.port !== master.port);
        const targets = [master.port, replica?.port, topology().sentinelNodes[0].port];
        const scrapes = await Promise.all(
          targets.map((port) => exporter.scrape(`redis://127.0.0.1:${port}`)),
        );
        const live = new Set(
          scrapes.flatMap((s) => [...exportedNames(s)]).filter((n) => n.startsWith('redis_')),
        );
        if (process.env.UPDATE_REDIS_EXPORTER_METRICS === '1') {
          const header = readFileSync(EXPORTER_METRICS_FILE, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('#'));
          writeFileSync(EXPORTER_METRICS_FILE, [...header, ...[...live].sort(), ''].join('\n'));
        }
        expect(scrapes.every((s) => /^redis_up 1$/m.test(s))).toBe(true);
        expect(used.redis.filter((name) => !live.has(name))).toEqual([]);
      } finally {
        await exporter.stop();
      }
    },
  );
});
