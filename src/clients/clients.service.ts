import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import {
  generateClientSecret,
  hashClientSecret,
  newGeneration,
  secretMatchesHash,
} from './client-secret';
import { ClientNotFoundError, ClientValidationError } from './client.errors';
import { ClientRecord, ClientStore } from './client.store';
import {
  defaultAuthMethod,
  type ClientWithSecret,
  CreateClientInput,
  type OAuthClient,
  type UpdateClientInput,
} from './client.types';
import { ClientCache } from './client-cache';
import { MAX_TTL_SECONDS, validateClient } from './client-validation';
import { upsertDeclaredClient, UpsertClientInput } from './client-upsert';

/** The digest compared with where a client has no secret hash: of a secret nobody holds. */
const NO_SECRET = hashClientSecret(generateClientSecret());

/**
 * The client registry: validation, secret handling and authentication (the hot path).
 *
 * `get` and `authenticate` read through an in-process cache (client-cache.ts): no Redis
 * round trip while the client is cached. Every write is announced by the store to all
 * instances, which evict the client at once, so a change (update, rotation, deletion,
 * creation over an unknown or deleted id) is seen everywhere within about a second; entries
 * also expire after config.oauth.clientCacheTtlMs (0 disables the cache). Writes and the
 * admin reads that precede them (`update`, `list`) always go to the store.
 */
@Injectable()
export class ClientsService implements OnModuleDestroy {
  private readonly cache: ClientCache;
  private unwatch?: () => void;

  constructor(
    private readonly store: ClientStore,
    private readonly config: AppConfig,
  ) {
    this.cache = new ClientCache(config.oauth.clientCacheTtlMs);
  }

  onModuleDestroy(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  /**
   * Registers a client; a confidential one gets a fresh secret, returned this once only.
   * `inputProblems` are what the caller's DTO check found wrong with the input's shape
   * (dto/check-dto.ts); they are reported together with the registry's own, so every
   * problem shows at once.
   */
  async create(
    input: CreateClientInput,
    inputProblems: readonly string[] = [],
  ): Promise<ClientWithSecret> {
    const now = new Date().toISOString();
    const clientSecret = input.type === 'confidential' ? generateClientSecret() : undefined;
    const record: ClientRecord = {
      ...this.validated({ ...input, id: input.id ?? randomUUID() }, inputProblems),
      generation: newGeneration(),
      secretHash: clientSecret && hashClientSecret(clientSecret),
      createdAt: now,
      updatedAt: now,
    };
    await this.written(record.id, this.store.create(record));
    return { client: toOAuthClient(record), clientSecret };
  }

  /** The client, or null for an unknown id; cached. */
  async get(id: string): Promise<OAuthClient | null> {
    const record = await this.find(id);
    return record && toOAuthClient(record);
  }

  async list(): Promise<OAuthClient[]> {
    return (await this.store.list()).map(toOAuthClient);
  }

  /**
   * Applies a partial change; the result must still be a valid client. A `null` TTL override
   * clears it. `inputProblems` as for `create`.
   */
  async update(
    id: string,
    patch: UpdateClientInput,
    inputProblems: readonly string[] = [],
  ): Promise<OAuthClient> {
    const existing = await this.store.find(id);
    if (!existing) throw new ClientNotFoundError(id);
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    ) as UpdateClientInput;
    const merged = this.validated(
      {
        ...toOAuthClient(existing),
        ...changes,
        accessTokenTtlSeconds: or(changes.accessTokenTtlSeconds, existing.accessTokenTtlSeconds),
        refreshTokenTtlSeconds: or(changes.refreshTokenTtlSeconds, existing.refreshTokenTtlSeconds),
      },
      inputProblems,
    );
    const updatedAt = new Date().toISOString();
    await this.written(id, this.store.update(id, { ...changes, updatedAt }));
    return { ...merged, generation: existing.generation, createdAt: existing.createdAt, updatedAt };
  }

  /**
   * New secret now; the old one keeps working for `graceSeconds` (default
   * config.oauth.clientSecretGraceSeconds). 0 stops the old secret at once, on every
   * instance within about a second (the cache eviction), e.g. after a leak.
   */
  async rotateSecret(
    id: string,
    { graceSeconds }: { graceSeconds?: number } = {},
  ): Promise<ClientWithSecret> {
    const grace = graceSeconds ?? this.config.oauth.clientSecretGraceSeconds;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_TTL_SECONDS) {
      throw new ClientValidationError([
        `grace_seconds must be a whole number between 0 and ${MAX_TTL_SECONDS}`,
      ]);
    }
    const clientSecret = generateClientSecret();
    const rotation = {
      secretHash: hashClientSecret(clientSecret),
      previousValidUntil: graceDeadline(grace),
      updatedAt: new Date().toISOString(),
    };
    await this.written(id, this.store.rotateSecret(id, rotation));
    const record = await this.store.find(id);
    if (!record) throw new ClientNotFoundError(id);
    return { client: toOAuthClient(record), clientSecret };
  }

  /** Removes the client; false when there was none. Its tokens are the caller's to revoke. */
  delete(id: string): Promise<boolean> {
    return this.written(id, this.store.delete(id));
  }

  /**
   * Client authentication (RFC 6749 section 2.3.1), from the cache or one HGETALL.
   * Confidential clients must present their current secret, or the previous one within its
   * grace period; public clients must present none. Bad credentials give null, never an
   * error. Which transport carried the secret (Basic or body) is the caller's to check
   * against `tokenEndpointAuthMethod`.
   */
  async authenticate(id: string, secret: string | undefined): Promise<OAuthClient | null> {
    const record = await this.find(id);
    const presented = secret === '' ? undefined : secret;
    // Both comparisons always run, against a digest nothing matches where there is no hash
    // (unknown id, public client, no previous secret) and with '' for a missing secret, so
    // the work done does not tell an unknown client id, a public client, a missing, a wrong
    // or a previous secret apart (test/unit/security/timing-safe.spec.ts).
    const current = secretMatchesHash(presented ?? '', record?.secretHash ?? NO_SECRET);
    const previous = secretMatchesHash(presented ?? '', record?.previousSecretHash ?? NO_SECRET);
    if (!record) return null;
    if (record.type === 'public') return presented === undefined ? toOAuthClient(record) : null;
    if (presented === undefined) return null;
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
    const { record, created } = await upsertDeclaredClient(this.store, input, {
      allowedScopes: this.config.oauth.scopes,
      graceDeadline: () => graceDeadline(this.config.oauth.clientSecretGraceSeconds),
      written: (write) => this.written(input.id, write),
    });
    return { client: toOAuthClient(record), created };
  }

  /** Reads through the cache; the first read starts listening to change announcements. */
  private find(id: string): Promise<ClientRecord | null> {
    if (this.cache.enabled && !this.unwatch) this.unwatch = this.store.watch(this.cache);
    return this.cache.lookup(id, (key) => this.store.find(key));
  }

  /**
   * Evicts `id` locally as soon as a write settles (read-your-writes on this instance even
   * before the announcement arrives), also after a failure, which may have written anyway.
   */
  private async written<T>(id: string, write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.cache.changed(id);
    }
  }

  private validated(
    input: CreateClientInput,
    inputProblems: readonly string[],
  ): Omit<OAuthClient, 'generation' | 'createdAt' | 'updatedAt'> {
    const problems = [...inputProblems, ...validateClient(input, this.config.oauth.scopes)];
    if (problems.length > 0) throw new ClientValidationError(problems);
    return {
      id: input.id ?? '',
      name: input.name,
      type: input.type,
      tokenEndpointAuthMethod: input.tokenEndpointAuthMethod ?? defaultAuthMethod(input.type),
      resourceServer: input.resourceServer ?? false,
      requirePkce: input.requirePkce ?? true,
      redirectUris: [...(input.redirectUris ?? [])],
      grantTypes: [...input.grantTypes],
      scopes: [...input.scopes],
      cacheServices: [...(input.cacheServices ?? [])],
      accessTokenTtlSeconds: input.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: input.refreshTokenTtlSeconds,
    };
  }
}

/** A patched optional value: null clears it, undefined keeps the current one. */
function or(change: number | null | undefined, current: number | undefined): number | undefined {
  return change === null ? undefined : (change ?? current);
}

function graceDeadline(graceSeconds: number): number | null {
  return graceSeconds > 0 ? Date.now() + graceSeconds * 1000 : null;
}

/** Strips the secret hashes: nothing outside the registry ever sees them. */
export function toOAuthClient(record: ClientRecord): OAuthClient {
  const { secretHash: _s, previousSecretHash: _p, previousSecretExpiresAt: _e, ...client } = record;
  return client;
}
