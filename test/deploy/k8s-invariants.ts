/**
 * Invariants of a rendered overlay that a JSON schema cannot express: Pod Security
 * "restricted", probes and ports, references between objects, HPA, PDB and NetworkPolicy.
 * Each check returns its problems (empty when the overlay keeps the invariant).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8sObject } from './k8s-schema';

export type Check = (objs: K8sObject[], overlay: string) => string[];
export const ROOT = join(__dirname, '../..');

export const find = (objs: K8sObject[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
export const expectThat = (ok: boolean, problem: string) => (ok ? [] : [problem]);
const matches = (selector: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

export function theDeployment(objs: K8sObject[]) {
  const [deployment] = find(objs, 'Deployment');
  const pod = deployment.spec.template.spec;
  return {
    deployment,
    pod,
    container: pod.containers[0],
    labels: deployment.spec.template.metadata.labels,
  };
}

/** The ConfigMap the Deployment reads its settings from (envFrom). */
export function appConfigMap(objs: K8sObject[]): K8sObject | undefined {
  const ref = theDeployment(objs).container.envFrom?.find(
    (e: { configMapRef?: { name: string } }) => e.configMapRef,
  )?.configMapRef.name;
  return find(objs, 'ConfigMap', ref)[0];
}

/** Pod Security Standards "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards). */
export const podSecurity: Check = (objs) => {
  const { pod } = theDeployment(objs);
  const problems = [
    ...expectThat(pod.securityContext?.runAsNonRoot === true, 'pod: runAsNonRoot must be true'),
    ...expectThat(pod.securityContext?.runAsUser !== 0, 'pod: runAsUser must not be 0'),
    ...expectThat(
      pod.securityContext?.seccompProfile?.type === 'RuntimeDefault',
      'pod: seccompProfile RuntimeDefault',
    ),
    ...expectThat(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, 'pod: no host namespaces'),
    ...expectThat(
      pod.automountServiceAccountToken === false,
      'pod: automountServiceAccountToken false',
    ),
  ];
  for (const c of pod.containers) {
    const sc = c.securityContext ?? {};
    problems.push(
      ...expectThat(
        sc.allowPrivilegeEscalation === false,
        `${c.name}: allowPrivilegeEscalation false`,
      ),
      ...expectThat(sc.readOnlyRootFilesystem === true, `${c.name}: readOnlyRootFilesystem true`),
      ...expectThat(sc.capabilities?.drop?.includes('ALL'), `${c.name}: capabilities drop ALL`),
      ...expectThat(
        !sc.privileged && !sc.capabilities?.add?.length,
        `${c.name}: not privileged, no added capabilities`,
      ),
    );
  }
  const allowed = [
    'emptyDir',
    'secret',
    'configMap',
    'projected',
    'downwardAPI',
    'persistentVolumeClaim',
  ];
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    problems.push(
      ...expectThat(allowed.includes(type ?? ''), `volume ${v.name}: type ${type} not allowed`),
    );
  }
  const tmp = (pod.volumes ?? []).find(
    (v: { name: string }) =>
      v.name ===
      theDeployment(objs).container.volumeMounts?.find(
        (m: { mountPath: string }) => m.mountPath === '/tmp',
      )?.name,
  );
  return [
    ...problems,
    ...expectThat(tmp?.emptyDir !== undefined, '/tmp must be an emptyDir mount'),
  ];
};

export const probesAndPorts: Check = (objs) => {
  const { container: c } = theDeployment(objs);
  const config = appConfigMap(objs);
  const port = (name: string) =>
    c.ports?.find((p: { name: string }) => p.name === name)?.containerPort;
  const probe = (p: { httpGet?: { path: string; port: string } } | undefined) =>
    p?.httpGet && `${p.httpGet.port}${p.httpGet.path}`;
  return [
    ...expectThat(
      probe(c.startupProbe) === 'http/health/live',
      'startupProbe: GET /health/live on http',
    ),
    ...expectThat(
      probe(c.livenessProbe) === 'http/health/live',
      'livenessProbe: GET /health/live on http',
    ),
    ...expectThat(
      probe(c.readinessProbe) === 'http/health/ready',
      'readinessProbe: GET /health/ready on http',
    ),
    ...expectThat(String(port('http')) === config?.data?.PORT, 'port http must equal PORT'),
    ...expectThat(
      String(port('management')) === config?.data?.MANAGEMENT_PORT,
      'port management must equal MANAGEMENT_PORT',
    ),
    ...expectThat(
      !!c.resources?.requests?.cpu && !!c.resources?.requests?.memory,
      'resources.requests cpu and memory',
    ),
    ...expectThat(!!c.resources?.limits?.memory, 'resources.limits.memory'),
  ];
};

export const references: Check = (objs, overlay) => {
  const { pod, container, labels } = theDeployment(objs);
  // Secrets the objects name but do not hold must be documented where operators look.
  const notes = overlay.startsWith('helm:')
    ? readFileSync(join(ROOT, 'helm/tollgate', `${overlay.slice(5).split('+')[0]}.yaml`), 'utf8')
    : readFileSync(join(ROOT, 'k8s/overlays', overlay, 'kustomization.yaml'), 'utf8');
  const secretNames = [
    ...(container.envFrom ?? []).map((e: { secretRef?: { name: string } }) => e.secretRef?.name),
    ...(pod.volumes ?? []).map((v: { secret?: { secretName: string } }) => v.secret?.secretName),
  ].filter(Boolean);
  const problems = secretNames.flatMap((name: string) =>
    expectThat(
      find(objs, 'Secret', name).length > 0 || notes.includes(name),
      `Secret ${name}: neither rendered nor documented in the overlay`,
    ),
  );
  for (const e of container.envFrom ?? []) {
    if (e.configMapRef)
      problems.push(
        ...expectThat(
          find(objs, 'ConfigMap', e.configMapRef.name).length === 1,
          `ConfigMap ${e.configMapRef.name} missing`,
        ),
      );
  }
  const [sa] = find(objs, 'ServiceAccount', pod.serviceAccountName);
  problems.push(
    ...expectThat(
      sa?.automountServiceAccountToken === false,
      'ServiceAccount: automountServiceAccountToken false',
    ),
  );
  const services = find(objs, 'Service');
  const workloads = [...find(objs, 'Deployment'), ...find(objs, 'StatefulSet')].map(
    (w) => w.spec.template.metadata.labels,
  );
  for (const s of services)
    problems.push(
      ...expectThat(
        workloads.some((l) => matches(s.spec.selector, l)),
        `Service ${s.metadata.name} selects no pod`,
      ),
    );
  const publicSvc = services.find(
    (s) => s.metadata.name === theDeployment(objs).deployment.metadata.name,
  );
  problems.push(
    ...expectThat(
      publicSvc?.spec.ports.every((p: { targetPort: string }) => p.targetPort === 'http'),
      'public Service: HTTP port only',
    ),
  );
  const [pdb] = find(objs, 'PodDisruptionBudget');
  problems.push(
    ...expectThat(
      matches(pdb?.spec.selector.matchLabels, labels),
      'PodDisruptionBudget selects no pod',
    ),
  );
  for (const ing of find(objs, 'Ingress')) {
    const backends = JSON.stringify(ing.spec.rules);
    problems.push(
      ...expectThat(
        !backends.includes('management') && !!ing.spec.tls?.length,
        `Ingress ${ing.metadata.name}: TLS, HTTP Service only`,
      ),
    );
  }
  return problems;
};

export const autoscaling: Check = (objs) => {
  const [hpa] = find(objs, 'HorizontalPodAutoscaler');
  const target = (name: string) =>
    hpa?.spec.metrics.find((m: { resource?: { name: string } }) => m.resource?.name === name)
      ?.resource.target;
  const { deployment } = theDeployment(objs);
  return [
    ...expectThat(
      hpa?.spec.scaleTargetRef.name === deployment.metadata.name,
      'HPA targets the Deployment',
    ),
    ...expectThat(target('cpu')?.averageUtilization === 70, 'HPA: CPU 70 %'),
    ...expectThat(target('memory')?.averageUtilization === 80, 'HPA: memory 80 %'),
    ...expectThat(
      hpa?.spec.minReplicas <= deployment.spec.replicas,
      'HPA minReplicas <= Deployment replicas',
    ),
  ];
};

export const networkPolicy: Check = (objs) => {
  const [np] = find(objs, 'NetworkPolicy');
  const { labels } = theDeployment(objs);
  const ports = (rules: Array<{ ports?: Array<{ port: string | number }> }>) =>
    rules.flatMap((r) => (r.ports ?? []).map((p) => String(p.port)));
  const mgmt = np?.spec.ingress.find((r: { ports?: Array<{ port: string }> }) =>
    r.ports?.some((p) => p.port === 'management'),
  );
  return [
    ...expectThat(
      matches(np?.spec.podSelector.matchLabels, labels),
      'NetworkPolicy selects the pods',
    ),
    ...expectThat(
      JSON.stringify(np?.spec.policyTypes) === '["Ingress","Egress"]',
      'NetworkPolicy: Ingress and Egress',
    ),
    ...expectThat(
      ports(np?.spec.ingress ?? [])
        .sort()
        .join() === 'http,management',
      'ingress: http and management ports only',
    ),
    ...expectThat(
      mgmt?.from?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ===
        'monitoring',
      'management port: monitoring namespace only',
    ),
    ...expectThat(
      [...new Set(ports(np?.spec.egress ?? []))].sort().join() === '26379,53,6379',
      'egress: 6379, 26379 and DNS only',
    ),
  ];
};
