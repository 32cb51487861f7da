import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/load-config';

/**
 * `docker compose config` needs the compose plugin, which these machines lack: this test parses
 * docker-compose.yml itself (YAML merge keys resolved as compose does) and checks the topology
 * docs/deployment.md promises.
 */
const ROOT = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: Array<{ path: string; required?: boolean }>;
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
  volumes?: string[];
  read_only?: boolean;
  tmpfs?: string[];
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const named = (prefix: string) => Object.keys(services).filter((n) => n.startsWith(prefix));
const flag = (svc: Service, name: string) => {
  const cmd = svc.command ?? [];
  const i = cmd.indexOf(`--${name}`);
  return i < 0 ? undefined : cmd[i + 1];
};
const dataNodes = ['redis-master', ...named('redis-replica-')];
const sentinels = named('redis-sentinel-');
const tollgates = named('tollgate-');

/** `${NAME:-default}` -> default, as compose does when NAME is unset. */
const interpolate = (value: string) => value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml', () => {
  it('runs a Sentinel topology: 1 master, 2 replicas, 3 sentinels, 2 tollgates, Prometheus', () => {
    expect(services['redis-master']).toBeDefined();
    expect(named('redis-replica-')).toHaveLength(2);
    expect(sentinels).toHaveLength(3);
    expect(tollgates).toHaveLength(2);
    expect(services.prometheus).toBeDefined();
    for (const name of [...dataNodes, ...sentinels]) {
      expect(services[name].image).toMatch(/^redis:7(\.\d+)*(-[a-z]+)?$/);
    }
    for (const name of named('redis-replica-')) {
      expect(services[name].command).toEqual(
        expect.arrayContaining(['--replicaof', 'redis-master']),
      );
    }
  });

  it.each(dataNodes)('%s runs with AOF, noeviction and min-replicas-to-write', (name) => {
    const node = services[name];
    expect(flag(node, 'appendonly')).toBe('yes');
    expect(flag(node, 'maxmemory-policy')).toBe('noeviction');
    expect(Number(flag(node, 'min-replicas-to-write'))).toBeGreaterThanOrEqual(1);
    expect(node.ports).toBeUndefined();
  });

  it('has every Sentinel monitor the master with a majority quorum', () => {
    for (const name of sentinels) {
      const script = (services[name].command ?? []).join(' ');
      expect(script).toContain("'sentinel monitor tollgate redis-master 6379 2'");
      expect(script).toContain("'sentinel resolve-hostnames yes'");
      expect(services[name].ports).toBeUndefined();
    }
  });

  it('gives every service a health check and starts it only after its dependencies are healthy', () => {
    for (const [name, svc] of Object.entries(services)) {
      const checked = (svc.healthcheck?.test?.length ?? 0) > 1;
      expect({ name, checked }).toEqual({ name, checked: true });
      for (const [dep, cond] of Object.entries(svc.depends_on ?? {})) {
        expect(services[dep]).toBeDefined();
        expect({ name, dep, condition: cond.condition }).toEqual({
          name,
          dep,
          condition: 'service_healthy',
        });
      }
    }
    for (const name of tollgates) {
      expect(Object.keys(services[name].depends_on ?? {}).sort()).toEqual(
        [...named('redis-replica-'), ...sentinels].sort(),
      );
    }
  });

  it.each(tollgates)(
    '%s talks to the Sentinels, waits for a replica and passes config validation',
    (name) => {
      const svc = services[name];
      const env = Object.fromEntries(
        Object.entries(svc.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
      );
      expect(svc.env_file).toEqual([{ path: '.env', required: false }]);
      expect(env.REDIS_SENTINELS.split(',')).toEqual(sentinels.map((s) => `${s}:26379`));
      expect(Number(env.REDIS_WRITE_REPLICAS)).toBeGreaterThanOrEqual(1);
      expect(Number(env.REDIS_WRITE_REPLICAS)).toBeLessThanOrEqual(named('redis-replica-').length);
      expect(env.MANAGEMENT_PORT).toBe('9100');
      expect(svc.read_only).toBe(true);
      expect(svc.tmpfs).toEqual(['/tmp']);
      expect(svc.healthcheck?.test).toEqual(['CMD', 'node', 'dist/healthcheck.js']);
      // The real validation of src/config: NODE_ENV=production demands an https ISSUER.
      const config = loadConfig(env);
      expect(config.oauth.issuer).toMatch(/^https:\/\//);
      expect(config.redis).toMatchObject({ mode: 'sentinel', masterName: 'tollgate' });
    },
  );

  it('has Prometheus scrape every tollgate management port and load the rule files', () => {
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    expect(prometheus.rule_files).toContain('rules/*.yml');
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'tollgate');
    expect(job?.static_configs.flatMap((c) => c.targets)).toEqual(
      tollgates.map((t) => `${t}:${services[t].environment?.MANAGEMENT_PORT}`),
    );
    expect(services.prometheus.volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');
    for (const name of tollgates) {
      expect((services[name].ports ?? []).join()).not.toContain('9100');
    }
  });

  it('has Prometheus scrape every Redis node and Sentinel through the exporter, as the rules expect', () => {
    type Job = {
      job_name: string;
      metrics_path?: string;
      static_configs: Array<{ targets: string[] }>;
      relabel_configs?: Array<{ target_label?: string; replacement?: string }>;
    };
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: Job[] };
    const job = (name: string) => prometheus.scrape_configs.find((j) => j.job_name === name);
    const targets = (name: string) => job(name)?.static_configs.flatMap((c) => c.targets);
    expect(targets('redis')).toEqual(dataNodes.map((n) => `redis://${n}:6379`));
    expect(targets('redis-sentinel')).toEqual(sentinels.map((n) => `redis://${n}:26379`));
    for (const name of ['redis', 'redis-sentinel']) {
      expect(job(name)?.metrics_path).toBe('/scrape');
      const address = job(name)?.relabel_configs?.find((r) => r.target_label === '__address__');
      expect(address?.replacement).toBe('redis-exporter:9121');
    }
    expect(services['redis-exporter']).toBeDefined();
    expect(services['redis-exporter'].ports).toBeUndefined();
  });

  it('documents every variable it reads from .env in .env.example', () => {
    const used = [...read('docker-compose.yml').matchAll(/\$\{(\w+)/g)].map((m) => m[1]);
    const example = read('.env.example');
    for (const name of new Set(used)) {
      expect({ name, documented: new RegExp(`^#? ?${name}=`, 'm').test(example) }).toEqual({
        name,
        documented: true,
      });
    }
  });
});
