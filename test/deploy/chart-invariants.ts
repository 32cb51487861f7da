/**
 * Invariants of a rendered Helm chart (helm/tollgate) on top of those it shares with the
 * kustomize overlays (k8s-invariants.ts): checksum annotations, hooks, Pod Security on every
 * pod, the monitoring objects equal to deploy/, the in-chart Redis settings, and env names
 * the server knows. docs/deployment.md, "What is verified".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { appConfigMap, Check, expectThat, find, ROOT, theDeployment } from './k8s-invariants';
import { K8sObject } from './k8s-schema';

// Objects read through their annotations; the schema check has already passed them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = K8sObject & { metadata: { annotations?: Record<string, string> } } & Record<string, any>;

const hookOf = (o: Obj) => o.metadata.annotations?.['helm.sh/hook'];
const readYaml = (path: string) =>
  parseAllDocuments(readFileSync(join(ROOT, path), 'utf8'))[0].toJS();

/** Variables the server reads: the properties of src/config/environment.ts, plus node's own. */
export function knownEnvNames(): Set<string> {
  const source = readFileSync(join(ROOT, 'src/config/environment.ts'), 'utf8');
  // A property line: optional decorators, then `NAME?: type`, `NAME!: type` or `NAME = default`.
  const names = [...source.matchAll(/^ {2}(?:@\w+\([^)]*\) )*([A-Z][A-Z0-9_]*)[?!]?\s*[:=]/gm)].map(
    (m) => m[1],
  );
  return new Set([...names, 'NODE_OPTIONS']);
}

/** Every pod the chart makes (Deployment, StatefulSets, the hook Job, the test Pod). */
function podsOf(objs: Obj[]): Array<{ name: string; pod: Obj }> {
  return objs.flatMap((o) => {
    const name = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'Pod') return [{ name, pod: o.spec }];
    if (o.spec?.template?.spec) return [{ name, pod: o.spec.template.spec }];
    return [];
  });
}

export const everyPodRestricted: Check = (objs) =>
  podsOf(objs as Obj[]).flatMap(({ name, pod }) => {
    const sc = pod.securityContext ?? {};
    const problems = [
      ...expectThat(sc.runAsNonRoot === true && sc.runAsUser > 0, `${name}: non-root uid`),
      ...expectThat(
        sc.seccompProfile?.type === 'RuntimeDefault',
        `${name}: seccomp RuntimeDefault`,
      ),
      ...expectThat(pod.automountServiceAccountToken === false, `${name}: no token automount`),
    ];
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      const csc = c.securityContext ?? {};
      problems.push(
        ...expectThat(
          csc.allowPrivilegeEscalation === false &&
            csc.readOnlyRootFilesystem === true &&
            csc.capabilities?.drop?.includes('ALL') &&
            !csc.capabilities?.add?.length,
          `${name}/${c.name}: restricted container securityContext`,
        ),
        ...expectThat(!!c.resources?.limits?.memory, `${name}/${c.name}: a memory limit`),
      );
    }
    return problems;
  });

const sha256 = /^[0-9a-f]{64}$/;

export const checksums: Check = (objs) => {
  const annotations = theDeployment(objs).deployment.spec.template.metadata.annotations ?? {};
  const chartSecret = find(objs, 'Secret').some(
    (s) =>
      !hookOf(s as Obj) &&
      theDeployment(objs).container.envFrom?.some(
        (e: { secretRef?: { name: string } }) => e.secretRef?.name === s.metadata.name,
      ),
  );
  return [
    ...expectThat(
      sha256.test(annotations['checksum/config'] ?? ''),
      'pod template: checksum/config',
    ),
    ...expectThat(
      chartSecret === sha256.test(annotations['checksum/secret'] ?? ''),
      'pod template: checksum/secret exactly when the chart renders the Secret',
    ),
  ];
};

/** The hook Job checks Redis and applies the clients, with its own copies of the settings. */
export const hooks: Check = (objs) => {
  const all = objs as Obj[];
  const [job] = find(all, 'Job') as Obj[];
  if (!job) return ['no preflight hook Job'];
  const events = (hookOf(job) ?? '').split(',');
  const pod = job.spec.template.spec;
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  const commands = containers.map((c: { command: string[] }) => c.command.join(' '));
  const weight = (o: Obj) => Number(o.metadata.annotations?.['helm.sh/hook-weight'] ?? 0);
  const problems = [
    ...expectThat(
      events.includes('pre-upgrade') &&
        (events.includes('pre-install') || events.includes('post-install')),
      `Job ${job.metadata.name}: a pre-upgrade and pre/post-install hook`,
    ),
    ...expectThat(
      commands[0]?.startsWith('node dist/admin/cli/main.js redis check'),
      'hook Job: first runs redis check',
    ),
  ];
  const hookConfig = find(all, 'ConfigMap').find((c) =>
    containers[0].envFrom?.some(
      (e: { configMapRef?: { name: string } }) => e.configMapRef?.name === c.metadata.name,
    ),
  ) as Obj | undefined;
  problems.push(
    ...expectThat(
      !!hookConfig && hookOf(hookConfig) === hookOf(job) && weight(hookConfig) < weight(job),
      'hook Job: its ConfigMap is a hook of the same events, created before it',
    ),
    ...expectThat(
      isDeepStrictEqual(hookConfig?.data, appConfigMap(objs)?.data),
      "hook Job: its settings equal the Deployment's",
    ),
  );
  const bootstrap = pod.volumes?.find((v: { name: string }) => v.name === 'bootstrap');
  if (bootstrap) {
    problems.push(
      ...expectThat(
        commands.some((c: string) => c.includes('clients apply --file /etc/tollgate/bootstrap/')),
        'hook Job: applies the bootstrap file',
      ),
    );
    const [file] = find(all, 'Secret', bootstrap.secret.secretName) as Obj[];
    if (file) problems.push(...bootstrapFileProblems(file));
  }
  const testPods = find(all, 'Pod').filter((p) => hookOf(p as Obj) === 'test');
  for (const p of testPods)
    problems.push(
      ...expectThat(
        (p as Obj).spec.containers[0].command.join(' ') === 'node /etc/tollgate/test/helm-test.js',
        'test Pod runs helm-test.js with node',
      ),
    );
  return problems;
};

function bootstrapFileProblems(secret: Obj): string[] {
  try {
    const file = JSON.parse(Buffer.from(secret.data?.['clients.json'] ?? '', 'base64').toString());
    return expectThat(Array.isArray(file.clients), 'bootstrap file: {"clients": [...]}');
  } catch (err) {
    return [`bootstrap file: ${(err as Error).message}`];
  }
}

/** The chart's copies must be exactly deploy/'s files; the rendered objects must carry them. */
export const monitoring: Check = (objs) => {
  const same = (copy: string, original: string) =>
    expectThat(
      readFileSync(join(ROOT, copy)).equals(readFileSync(join(ROOT, original))),
      `${copy} differs from ${original}: copy it again`,
    );
  const problems = [
    ...same('helm/tollgate/files/tollgate-rules.yml', 'deploy/prometheus/rules/tollgate.yml'),
    ...same(
      'helm/tollgate/files/tollgate-dashboard.json',
      'deploy/grafana/tollgate-dashboard.json',
    ),
  ];
  const [rule] = find(objs, 'PrometheusRule');
  if (rule)
    problems.push(
      ...expectThat(
        isDeepStrictEqual(
          rule.spec.groups,
          readYaml('deploy/prometheus/rules/tollgate.yml').groups,
        ),
        'PrometheusRule: groups differ from deploy/prometheus/rules/tollgate.yml',
      ),
    );
  const dashboard = find(objs, 'ConfigMap').find(
    (c) => c.metadata.labels?.grafana_dashboard === '1',
  );
  if (dashboard) {
    const original = readFileSync(join(ROOT, 'deploy/grafana/tollgate-dashboard.json'), 'utf8');
    problems.push(
      ...expectThat(
        isDeepStrictEqual(JSON.parse(Object.values(dashboard.data ?? {})[0]), JSON.parse(original)),
        'Grafana dashboard ConfigMap differs from deploy/grafana/tollgate-dashboard.json',
      ),
    );
  }
  for (const sm of find(objs, 'ServiceMonitor'))
    problems.push(
      ...expectThat(
        find(objs, 'Service').some((s) =>
          Object.entries(sm.spec.selector.matchLabels).every(
            ([k, v]) => s.metadata.labels?.[k] === v,
          ),
        ) && sm.spec.endpoints.every((e: { port: string }) => e.port === 'management'),
        'ServiceMonitor: selects the management Service, scrapes its management port',
      ),
    );
  return problems;
};

export const envNames: Check = (objs) => {
  const known = knownEnvNames();
  const config = appConfigMap(objs);
  // The Secrets the server reads as its environment, not the in-chart Redis's own (redis-acl).
  const { container } = theDeployment(objs);
  const envSecrets = (container.envFrom ?? []).map(
    (e: { secretRef?: { name: string } }) => e.secretRef?.name,
  );
  const secrets = find(objs, 'Secret').filter(
    (s) => !hookOf(s as Obj) && envSecrets.includes(s.metadata.name),
  );
  const names = [
    ...Object.keys(config?.data ?? {}),
    ...secrets.flatMap((s) => Object.keys(s.data ?? {})),
  ];
  return names.flatMap((n) => expectThat(known.has(n), `env ${n} is not a setting of the server`));
};

/** The in-chart Sentinel topology: the settings docs/deployment.md promises. */
export const inChartRedis: Check = (objs) => {
  const sets = find(objs, 'StatefulSet');
  if (sets.length === 0) return [];
  const conf =
    find(objs, 'ConfigMap').find((c) => c.data?.['redis.conf'])?.data?.['redis.conf'] ?? '';
  const [data] = sets.filter((s) => s.spec.volumeClaimTemplates);
  const minReplicas = Number(/^min-replicas-to-write (\d+)$/m.exec(conf)?.[1] ?? 0);
  return [
    ...expectThat(/^appendonly yes$/m.test(conf), 'redis.conf: appendonly yes'),
    ...expectThat(/^maxmemory-policy noeviction$/m.test(conf), 'redis.conf: noeviction'),
    ...expectThat(minReplicas >= 1, 'redis.conf: min-replicas-to-write >= 1'),
    ...expectThat(!!data, 'Redis data StatefulSet with a volume per node'),
    ...sets.flatMap((s) =>
      expectThat(
        !!s.spec.template.spec.affinity?.podAntiAffinity,
        `StatefulSet ${s.metadata.name}: pod anti-affinity`,
      ),
    ),
    ...inChartAcl(objs, sets),
  ];
};

/**
 * redisSentinel.acl: the data nodes load the shipped rules (files/redis-users.acl, what
 * test/integration/transport runs) into an aclfile, replicas and Sentinels log in with their
 * users, and the Secret of their passwords exists.
 */
function inChartAcl(objs: K8sObject[], sets: K8sObject[]): string[] {
  const env = (s: K8sObject): Array<{ name: string; valueFrom?: Obj }> =>
    s.spec.template.spec.containers[0].env ?? [];
  const acl = sets.filter((s) => env(s).some((e) => e.name === 'REDIS_ACL'));
  if (acl.length === 0) return [];
  const config = find(objs, 'ConfigMap').find((c) => c.data?.['redis.sh'])?.data ?? {};
  const shipped = readFileSync(join(ROOT, 'helm/tollgate/files/redis-users.acl'), 'utf8');
  const secretNames = acl.flatMap((s) =>
    env(s).map((e) => (e.valueFrom?.secretKeyRef as { name?: string } | undefined)?.name),
  );
  return [
    ...expectThat(acl.length === sets.length, 'redisSentinel.acl: on data nodes and Sentinels'),
    ...expectThat(
      config['redis-users.acl']?.trim() === shipped.trim(),
      'redis ConfigMap: redis-users.acl is files/redis-users.acl',
    ),
    ...expectThat(
      /aclfile \/tmp\/users\.acl/.test(config['redis.sh'] ?? '') &&
        /masteruser/.test(config['redis.sh'] ?? ''),
      'redis.sh: aclfile and masteruser with ACL users',
    ),
    ...expectThat(
      /sentinel auth-user/.test(config['sentinel.sh'] ?? ''),
      'sentinel.sh: sentinel auth-user with ACL users',
    ),
    ...expectThat(
      secretNames.some((n) => n?.endsWith('-redis-acl')) ===
        find(objs, 'Secret').some((s) => s.metadata.name.endsWith('-redis-acl')),
      'the Secret of the replication and Sentinel passwords is rendered',
    ),
  ];
}

export const chartChecks: Check[] = [
  everyPodRestricted,
  checksums,
  hooks,
  monitoring,
  envNames,
  inChartRedis,
];
