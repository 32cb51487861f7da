/**
 * End to end with real parts: Debian's Prometheus scrapes the app's management port and
 * prometheus-redis-exporter (every data node and Sentinel of a real Sentinel topology) with
 * deploy/prometheus/rules/tollgate.yml loaded. Killing the master must make TollgateRedisDown
 * fire (after its 30 s `for`) and TollgateRedisFailover appear, seen through Prometheus's
 * HTTP API; restarting the node must resolve TollgateRedisDown.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePorts } from '../../../src/dev/redis-process';
import { ManagementServer } from '../../../src/management/management-server';
import { startReadyApp } from '../../e2e/support/oauth-fixtures';
import { RULES_FILE } from '../../support/monitoring-assets';
import { EXPORTER_BINARY, findBinary, RedisExporter } from '../../support/redis-exporter';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp } from '../../support/test-app';

const PROMETHEUS = findBinary('prometheus');

interface ActiveAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/** Scrape and evaluate every second so the test takes the alerts' `for`, not minutes more. */
function prometheusConfig(app: string, exporter: string, data: string[], sentinels: string[]) {
  const viaExporter = (job: string, targets: string[]) => `
  - job_name: ${job}
    metrics_path: /scrape
    static_configs:
      - targets: [${targets.map((t) => `'redis://${t}'`).join(', ')}]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: '${exporter}'`;
  return `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files:
  - '${RULES_FILE}'
scrape_configs:
  - job_name: tollgate
    static_configs:
      - targets: ['${app}']${viaExporter('redis', data)}${viaExporter('redis-sentinel', sentinels)}
`;
}

const runnable = PROMETHEUS && EXPORTER_BINARY;
const describeIf = runnable ? describe : describe.skip;
const reason = runnable
  ? ''
  : ' (SKIPPED: needs Debian packages prometheus and prometheus-redis-exporter; run .ci/check-monitoring)';

describeIf(`Prometheus with the tollgate rules against a real Sentinel topology${reason}`, () => {
  const topology = useTopology({ mode: 'sentinel' });
  let running: RunningApp;
  let exporter: RedisExporter;
  let prometheus: ChildProcess;
  let api: string;
  let dir: string;

  beforeAll(async () => {
    running = await startReadyApp({
      ...topology().env(),
      MANAGEMENT_PORT: '0',
      MANAGEMENT_HOST: '127.0.0.1',
    });
    exporter = await RedisExporter.start(EXPORTER_BINARY ?? '');
    dir = mkdtempSync(path.join(os.tmpdir(), 'tollgate-prometheus-'));
    const [port] = await freePorts(1);
    api = `http://127.0.0.1:${port}`;
    const app = `127.0.0.1:${running.app.get(ManagementServer).address()?.port}`;
    const addr = (n: { port: number }) => `127.0.0.1:${n.port}`;
    const config = prometheusConfig(
      app,
      exporter.address,
      topology().dataNodes.map(addr),
      topology().sentinelNodes.map(addr),
    );
    writeFileSync(path.join(dir, 'prometheus.yml'), config);
    prometheus = spawn(
      PROMETHEUS ?? '',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    await eventually(async () => (await fetch(`${api}/-/ready`)).ok, 20_000, 'prometheus ready');
  }, 60_000);

  afterAll(async () => {
    if (prometheus?.exitCode === null && prometheus.pid) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      process.kill(prometheus.pid, 'SIGTERM');
      await exited;
    }
    await exporter?.stop();
    await running?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const query = async (promql: string): Promise<number | undefined> => {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
    const first = body.data.result[0];
    return first ? Number(first.value[1]) : undefined;
  };
  const alerts = async (): Promise<ActiveAlert[]> => {
    const body = (await (await fetch(`${api}/api/v1/alerts`)).json()) as {
      data: { alerts: ActiveAlert[] };
    };
    return body.data.alerts;
  };
  const find = (list: ActiveAlert[], name: string, instance?: string) =>
    list.find((a) => a.labels.alertname === name && (!instance || a.labels.instance === instance));

  it('fires TollgateRedisDown when the master dies and resolves it once the node is back', async () => {
    const nodes = topology().dataNodes.length + topology().sentinelNodes.length;
    await eventually(
      async () =>
        (await query('count(redis_up == 1)')) === nodes &&
        (await query('sum(up{job="tollgate"})')) === 1 &&
        (await query('tollgate_redis_write_replicas')) === 0,
      20_000,
      'every target scraped',
    );
    expect(find(await alerts(), 'TollgateRedisDown')).toBeUndefined();

    const master = await topology().killMaster();
    const instance = `redis://127.0.0.1:${master.port}`;
    await topology().waitForFailover(master);
    await eventually(
      async () => find(await alerts(), 'TollgateRedisDown', instance)?.state === 'firing',
      50_000,
      'TollgateRedisDown firing',
    );
    const active = await alerts();
    expect(find(active, 'TollgateRedisDown', instance)?.labels).toMatchObject({
      severity: 'critical',
      job: 'redis',
    });
    expect(find(active, 'TollgateRedisFailover')?.labels).toMatchObject({
      master_name: topology().masterName,
    });

    await topology().restartNode(master.port);
    await eventually(
      async () => find(await alerts(), 'TollgateRedisDown', instance) === undefined,
      20_000,
      'TollgateRedisDown resolved',
    );
  }, 100_000);
});
