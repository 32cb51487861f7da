import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import {
  generateClientSecret,
  hashClientSecret,
  newGeneration,
  secretMatchesHash,
} from './client-secret';
import { ClientExistsError, ClientNotFoundError, ClientValidationError } from './client.errors';
import { ClientRecord, ClientStore } from './client.store';
import {
  defaultAuthMethod,
  type ClientWithSecret,
  CreateClientInput,
  type OAuthClient,
  type UpdateClientInput,
} from './client.types';
import { validateClient } from './client-validation';
import { planUpsert, UpsertClientInput, validateDeclaredClient } from './client-upsert';

/** The client registry: validation, secret handling and authentication (the hot path). */
@Injectable()
export class ClientsService {
  constructor(
    private readonly store: ClientStore,
    private readonly config: AppConfig,
  ) {}

  /** Registers a client; a confidential one gets a fresh secret, returned this once only. */
  async create(input: CreateClientInput): Promise<ClientWithSecret> {
    const now = new Date().toISOString();
    const clientSecret = input.type === 'confidential' ? generateClientSecret() : undefined;
    const record: ClientRecord = {
      ...this.validated({ ...input, id: input.id ?? randomUUID() }),
      generation: newGeneration(),
      secretHash: clientSecret && hashClientSecret(clientSecret),
      createdAt: now,
      updatedAt: now,
    };
    await this.store.create(record);
    return { client: toOAuthClient(record), clientSecret };
  }

  async get(id: string): Promise<OAuthClient | null> {
    const record = await this.store.find(id);
    return record && toOAuthClient(record);
  }

  async list(): Promise<OAuthClient[]> {
    return (await this.store.list()).map(toOAuthClient);
  }

  /** Applies a partial change; the result must still be a valid client. */
  async update(id: string, patch: UpdateClientInput): Promise<OAuthClient> {
    const existing = await this.store.find(id);
    if (!existing) throw new ClientNotFoundError(id);
    const defined = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    ) as UpdateClientInput;
    const merged = this.validated({ ...toOAuthClient(existing), ...defined });
    const updatedAt = new Date().toISOString();
    await this.store.update(id, { ...defined, updatedAt });
    return { ...merged, generation: existing.generation, createdAt: existing.createdAt, updatedAt };
  }

  /** New secret now; the old one keeps working for config.oauth.clientSecretGraceSeconds. */
  async rotateSecret(id: string): Promise<ClientWithSecret> {
    const clientSecret = generateClientSecret();
    await this.store.rotateSecret(id, {
      secretHash: hashClientSecret(clientSecret),
      previousValidUntil: this.graceDeadline(),
      updatedAt: new Date().toISOString(),
    });
    const record = await this.store.find(id);
    if (!record) throw new ClientNotFoundError(id);
    return { client: toOAuthClient(record), clientSecret };
  }

  delete(id: string): Promise<boolean> {
    return this.store.delete(id);
  }

  /**
   * Client authentication (RFC 6749 section 2.3.1), one HGETALL. Confidential clients must
   * present their current secret, or the previous one within its grace period; public
   * clients must present none. Bad credentials give null, never an error.
   */
  async authenticate(id: string, secret: string | undefined): Promise<OAuthClient | null> {
    const record = await this.store.find(id);
    if (!record) return null;
    const presented = secret === '' ? undefined : secret;
    if (record.type === 'public') return presented === undefined ? toOAuthClient(record) : null;
    if (presented === undefined) return null;
    // Both comparisons always run so timing does not reveal which hash matched.
    const current = secretMatchesHash(presented, record.secretHash);
    const previous = secretMatchesHash(presented, record.previousSecretHash);
    const previousLive = (record.previousSecretExpiresAt ?? 0) > Date.now();
    return current || (previous && previousLive) ? toOAuthClient(record) : null;
  }

  /**
   * Idempotent create-or-update for declared clients (bootstrap file). Unchanged input
   * writes nothing, so `updatedAt` only moves on a real change. A changed `clientSecret`
   * is a rotation (the old one stays valid for the grace period); an absent one leaves
   * the stored secret alone (a new confidential client then has none until rotated).
   */
  async upsert(input: UpsertClientInput): Promise<{ client: OAuthClient; created: boolean }> {
    const problems = validateDeclaredClient(input, this.config.oauth.scopes);
    if (problems.length > 0)
      throw new ClientValidationError(problems.map((p) => `${input.id}: ${p}`));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.applyUpsert(input);
      } catch (err) {
        // Another instance created it between our read and write: re-read and compare.
        if (!(err instanceof ClientExistsError) || attempt > 0) throw err;
      }
    }
  }

  private async applyUpsert(
    input: UpsertClientInput,
  ): Promise<{ client: OAuthClient; created: boolean }> {
    const existing = await this.store.find(input.id);
    const plan = planUpsert(existing, input, new Date().toISOString(), this.graceDeadline());
    if (plan.kind === 'create') await this.store.create(plan.record);
    if (plan.kind === 'update' && plan.profile) await this.store.update(input.id, plan.profile);
    if (plan.kind === 'update' && plan.rotation) {
      await this.store.rotateSecret(input.id, plan.rotation);
    }
    const record = plan.kind === 'unchanged' ? existing : await this.store.find(input.id);
    if (!record) throw new ClientNotFoundError(input.id);
    return { client: toOAuthClient(record), created: plan.kind === 'create' };
  }

  private validated(
    input: CreateClientInput,
  ): Omit<OAuthClient, 'generation' | 'createdAt' | 'updatedAt'> {
    const client = {
      id: input.id ?? '',
      name: input.name,
      type: input.type,
      tokenEndpointAuthMethod: input.tokenEndpointAuthMethod ?? defaultAuthMethod(input.type),
      resourceServer: input.resourceServer ?? false,
      redirectUris: [...(input.redirectUris ?? [])],
      grantTypes: [...(input.grantTypes ?? [])],
      scopes: [...(input.scopes ?? [])],
      accessTokenTtlSeconds: input.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: input.refreshTokenTtlSeconds,
    };
    const problems = validateClient(client, this.config.oauth.scopes);
    if (problems.length > 0) throw new ClientValidationError(problems);
    return client;
  }

  private graceDeadline(): number | null {
    const grace = this.config.oauth.clientSecretGraceSeconds;
    return grace > 0 ? Date.now() + grace * 1000 : null;
  }
}

/** Strips the secret hashes: nothing outside the registry ever sees them. */
export function toOAuthClient(record: ClientRecord): OAuthClient {
  const { secretHash: _s, previousSecretHash: _p, previousSecretExpiresAt: _e, ...client } = record;
  return client;
}
