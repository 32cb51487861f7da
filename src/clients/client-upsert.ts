import { hashClientSecret, MIN_SECRET_LENGTH, newGeneration } from './client-secret';
import { ClientExistsError, ClientNotFoundError, ClientValidationError } from './client.errors';
import { validateClient } from './client-validation';
import { ClientProfileChanges, ClientRecord, ClientStore, SecretRotation } from './client.store';
import { defaultAuthMethod, type CreateClientInput } from './client.types';

/** A declared client (bootstrap file): the id is required, the secret optional. */
export type UpsertClientInput = CreateClientInput & { id: string; clientSecret?: string };

/** Every problem with a declared client, before anything is written; empty when valid. */
export function validateDeclaredClient(
  input: UpsertClientInput,
  allowedScopes: readonly string[],
): string[] {
  const problems = input.id
    ? validateClient(input, allowedScopes)
    : ['client_id is required', ...validateClient({ ...input, id: undefined }, allowedScopes)];
  if (input.clientSecret === undefined) return problems;
  if (input.type === 'public') problems.push('a public client cannot have a client_secret');
  else if (input.clientSecret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `client_secret must be at least ${MIN_SECRET_LENGTH} characters of random data ` +
        "(e.g. openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')",
    );
  }
  return problems;
}

export type UpsertPlan =
  | { readonly kind: 'create'; readonly record: ClientRecord }
  | {
      readonly kind: 'update';
      readonly profile?: ClientProfileChanges;
      readonly rotation?: SecretRotation;
    }
  | { readonly kind: 'unchanged' };

/**
 * Decides what an upsert must write, comparing the declaration with the stored record
 * field by field, so re-applying the same file is a no-op (no write, `updatedAt` kept).
 * Fields the declaration omits are cleared (the file is the source of truth for them).
 */
export function planUpsert(
  existing: ClientRecord | null,
  input: UpsertClientInput,
  now: string,
  graceDeadline: number | null,
): UpsertPlan {
  const secretHash =
    input.clientSecret === undefined ? undefined : hashClientSecret(input.clientSecret);
  const declared = {
    name: input.name,
    tokenEndpointAuthMethod: input.tokenEndpointAuthMethod ?? defaultAuthMethod(input.type),
    resourceServer: input.resourceServer ?? false,
    requirePkce: input.requirePkce ?? true,
    redirectUris: [...(input.redirectUris ?? [])],
    grantTypes: [...input.grantTypes],
    scopes: [...input.scopes],
    cacheServices: [...(input.cacheServices ?? [])],
  };
  if (!existing) {
    const record: ClientRecord = {
      id: input.id,
      type: input.type,
      generation: newGeneration(),
      ...declared,
      accessTokenTtlSeconds: input.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: input.refreshTokenTtlSeconds,
      secretHash: input.type === 'confidential' ? secretHash : undefined,
      createdAt: now,
      updatedAt: now,
    };
    return { kind: 'create', record };
  }
  if (existing.type !== input.type) {
    throw new ClientValidationError([
      `client ${input.id} is ${existing.type}; the type cannot change (delete and re-create it)`,
    ]);
  }
  const profileChanged =
    existing.name !== declared.name ||
    existing.tokenEndpointAuthMethod !== declared.tokenEndpointAuthMethod ||
    existing.resourceServer !== declared.resourceServer ||
    existing.requirePkce !== declared.requirePkce ||
    !sameList(existing.redirectUris, declared.redirectUris) ||
    !sameList(existing.grantTypes, declared.grantTypes) ||
    !sameList(existing.scopes, declared.scopes) ||
    !sameList(existing.cacheServices, declared.cacheServices) ||
    existing.accessTokenTtlSeconds !== input.accessTokenTtlSeconds ||
    existing.refreshTokenTtlSeconds !== input.refreshTokenTtlSeconds;
  const secretChanged =
    input.type === 'confidential' && secretHash !== undefined && secretHash !== existing.secretHash;
  if (!profileChanged && !secretChanged) return { kind: 'unchanged' };
  return {
    kind: 'update',
    profile: profileChanged
      ? {
          ...declared,
          accessTokenTtlSeconds: input.accessTokenTtlSeconds ?? null,
          refreshTokenTtlSeconds: input.refreshTokenTtlSeconds ?? null,
          updatedAt: now,
        }
      : undefined,
    rotation:
      secretChanged && secretHash
        ? { secretHash, previousValidUntil: graceDeadline, updatedAt: now }
        : undefined,
  };
}

export interface UpsertDeps {
  readonly allowedScopes: readonly string[];
  /** When a replaced secret stops working (null: at once), asked at each attempt. */
  readonly graceDeadline: () => number | null;
  /** Wraps every store write of the client (the registry evicts its cached copy). */
  readonly written: <T>(write: Promise<T>) => Promise<T>;
}

/**
 * ClientsService.upsert: validates the declaration, then writes what planUpsert decides.
 * Returns the record as stored afterwards.
 */
export async function upsertDeclaredClient(
  store: ClientStore,
  input: UpsertClientInput,
  deps: UpsertDeps,
): Promise<{ record: ClientRecord; created: boolean }> {
  const problems = validateDeclaredClient(input, deps.allowedScopes);
  if (problems.length > 0) {
    throw new ClientValidationError(problems.map((p) => `${input.id}: ${p}`));
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyUpsert(store, input, deps);
    } catch (err) {
      // Another instance created it between our read and write: re-read and compare.
      if (!(err instanceof ClientExistsError) || attempt > 0) throw err;
    }
  }
}

async function applyUpsert(
  store: ClientStore,
  input: UpsertClientInput,
  { graceDeadline, written }: UpsertDeps,
): Promise<{ record: ClientRecord; created: boolean }> {
  const id = input.id;
  const existing = await store.find(id);
  const plan = planUpsert(existing, input, new Date().toISOString(), graceDeadline());
  if (plan.kind === 'create') await written(store.create(plan.record));
  if (plan.kind === 'update' && plan.profile) await written(store.update(id, plan.profile));
  if (plan.kind === 'update' && plan.rotation) await written(store.rotateSecret(id, plan.rotation));
  const record = plan.kind === 'unchanged' ? existing : await store.find(id);
  if (!record) throw new ClientNotFoundError(id);
  return { record, created: plan.kind === 'create' };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
