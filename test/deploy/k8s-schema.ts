/**
 * JSON-schema validation of Kubernetes objects with the `kubernetes-models` package (schemas
 * generated from the Kubernetes OpenAPI definitions). It checks types, required fields, enums
 * and formats; like kubeconform without `-strict`, it does not reject unknown fields, so the
 * invariants in validate-manifests.ts check the fields that matter at their exact paths.
 */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Each kind has its own shape; validate-manifests.ts reads them through small accessors.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** `apps/v1` -> `kubernetes-models/apps/v1`, `v1` -> `kubernetes-models/v1`. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  try {
    // Dynamic by design: one module per API group/version, loaded on demand.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const group = require(`kubernetes-models/${apiVersion}`) as Record<string, ModelClass>;
    return group[kind];
  } catch {
    return undefined;
  }
}

/** Returns the problems of one object: unknown kind, or schema violations. */
export function schemaProblems(obj: K8sObject): string[] {
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (!Model) return [`no Kubernetes schema for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}
