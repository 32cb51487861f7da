/**
 * Validates rendered kustomize overlays (run by .ci/check-deploy) and rendered Helm charts
 * (run by .ci/check-helm; a `helm:` label names the values file, `+` a variant):
 *   node -r ts-node/register/transpile-only test/deploy/validate-manifests.ts dev=/tmp/dev.yaml ...
 *   ... validate-manifests.ts helm:values-production=/tmp/p.yaml helm:values-production+tests=/tmp/t.yaml
 * Every object against its Kubernetes JSON schema, then the invariants docs/deployment.md
 * promises (Pod Security "restricted", probes, ports, NetworkPolicy, HPA, PDB), and the
 * overlay's settings through the server's own config validation (src/config).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load-config';
import { chartChecks } from './chart-invariants';
import {
  appConfigMap,
  autoscaling,
  Check,
  expectThat,
  find,
  networkPolicy,
  podSecurity,
  probesAndPorts,
  references,
  ROOT,
  theDeployment,
} from './k8s-invariants';
import { K8sObject, schemaProblems } from './k8s-schema';

/** The overlay's environment must pass the server's own start-up validation. */
const serverConfig: Check = (objs) => {
  const { container } = theDeployment(objs);
  const env: Record<string, string> = { ...appConfigMap(objs)?.data };
  const secretRefs = (container.envFrom ?? []).map(
    (e: { secretRef?: { name: string } }) => e.secretRef?.name,
  );
  for (const s of find(objs, 'Secret').filter((s) => secretRefs.includes(s.metadata.name))) {
    for (const [k, v] of Object.entries(s.data ?? {})) env[k] = Buffer.from(v, 'base64').toString();
  }
  if (env.REDIS_TLS_CA_FILE) {
    const mounted = (container.volumeMounts ?? []).some((m: { mountPath: string }) =>
      env.REDIS_TLS_CA_FILE.startsWith(`${m.mountPath}/`),
    );
    if (!mounted) return [`REDIS_TLS_CA_FILE ${env.REDIS_TLS_CA_FILE} is on no volume mount`];
    env.REDIS_TLS_CA_FILE = join(mkdtempSync(join(tmpdir(), 'tollgate-ca-')), 'ca.crt');
    writeFileSync(env.REDIS_TLS_CA_FILE, '');
  }
  try {
    loadConfig(env);
    return expectThat(env.ISSUER?.startsWith('https://'), 'ISSUER must be https');
  } catch (err) {
    return [(err as Error).message];
  }
};

const argoApplication = (overlays: string[]): string[] => {
  const [app] = parseAllDocuments(
    readFileSync(join(ROOT, 'k8s/argocd/application.yaml'), 'utf8'),
  ).map((d) => d.toJS());
  const overlay = /^k8s\/overlays\/([\w-]+)$/.exec(app?.spec?.source?.path ?? '')?.[1];
  return [
    ...expectThat(
      app?.apiVersion === 'argoproj.io/v1alpha1' && app?.kind === 'Application',
      'argocd: an argoproj.io/v1alpha1 Application',
    ),
    ...expectThat(
      overlay !== undefined && overlays.includes(overlay),
      'argocd: source.path must be a rendered overlay',
    ),
    ...expectThat(
      !!app?.spec?.destination?.server && !!app?.spec?.destination?.namespace,
      'argocd: destination server and namespace',
    ),
  ];
};

function main(args: string[]): number {
  const checks = [
    podSecurity,
    probesAndPorts,
    references,
    autoscaling,
    networkPolicy,
    serverConfig,
  ];
  const problems: string[] = [];
  let objects = 0;
  for (const arg of args) {
    const [overlay, file] = arg.split('=');
    const docs = parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as K8sObject)
      .filter(Boolean);
    objects += docs.length;
    const chart = overlay.startsWith('helm:');
    const namespaces = new Set(docs.map((o) => o.metadata.namespace));
    const found = [
      // Prometheus Operator kinds have no schema in kubernetes-models: chart-invariants.ts
      // checks the fields tollgate relies on.
      ...docs
        .filter((o) => !(chart && o.apiVersion === 'monitoring.coreos.com/v1'))
        .flatMap((o) => schemaProblems(o).map((p) => `${o.kind}/${o.metadata.name}: ${p}`)),
      // helm puts a chart's objects into the release namespace; the templates name none.
      ...(chart
        ? expectThat(
            namespaces.size === 1 && namespaces.has(undefined),
            'no namespace in templates',
          )
        : expectThat(
            namespaces.size === 1 && !namespaces.has(undefined),
            'every object in one namespace',
          )),
      ...expectThat(find(docs, 'Deployment').length === 1, 'exactly one Deployment'),
    ];
    if (find(docs, 'Deployment').length === 1)
      found.push(...[...checks, ...(chart ? chartChecks : [])].flatMap((c) => c(docs, overlay)));
    problems.push(...found.map((p) => `${overlay}: ${p}`));
  }
  const overlays = args.map((a) => a.split('=')[0]).filter((n) => !n.startsWith('helm:'));
  if (overlays.length > 0) problems.push(...argoApplication(overlays));
  for (const p of problems) process.stderr.write(`  - ${p}\n`);
  process.stdout.write(
    `k8s: ${objects} objects in ${args.length} renders: ${problems.length === 0 ? 'valid' : `${problems.length} problems`}\n`,
  );
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
