import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys } from '../redis/keys';
import { RedisSubscriber } from '../redis/redis-subscriber';
import { storageCall } from '../redis/redis-unavailable';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { ClientExistsError, ClientNotFoundError, ClientValidationError } from './client.errors';
import {
  ClientChangeListener,
  ClientProfileChanges,
  ClientRecord,
  ClientStore,
  SecretRotation,
} from './client.store';
import {
  defaultAuthMethod,
  type ClientType,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client.types';

/** Hash field names of `auth:client:{id}`; lists are space-separated (none may contain spaces). */
const F = {
  id: 'id',
  name: 'name',
  type: 'type',
  authMethod: 'token_endpoint_auth_method',
  resourceServer: 'resource_server',
  requirePkce: 'require_pkce',
  generation: 'generation',
  redirectUris: 'redirect_uris',
  grantTypes: 'grant_types',
  scopes: 'scopes',
  cacheServices: 'cache_services',
  accessTtl: 'access_token_ttl_seconds',
  refreshTtl: 'refresh_token_ttl_seconds',
  secretHash: 'secret_hash',
  previousSecretHash: 'previous_secret_hash',
  previousSecretExpiresAt: 'previous_secret_expires_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

/**
 * Negative replies of saveClient-2.lua and rotateClientSecret-1.lua (codes in their
 * headers), mapped straight onto the registry's errors: this store owns its script codes.
 */
const SCRIPT_ERRORS: Record<number, (id: string) => Error> = {
  [-1]: (id) => new ClientExistsError(id),
  [-2]: (id) => new ClientNotFoundError(id),
  [-3]: (id) =>
    new ClientValidationError([`client ${JSON.stringify(id)} is public and has no secret`]),
};

/**
 * The only Redis access of the client registry (contract in client.store.ts). Every write
 * publishes the client id on keys.clientChangesChannel() in the same script or MULTI, and
 * `watch` listens on that channel through the shared RedisSubscriber connection.
 */
@Injectable()
export class RedisClientStore extends ClientStore {
  constructor(
    @Inject(REDIS_AUTH) private readonly redis: Redis,
    private readonly subscriber: RedisSubscriber,
  ) {
    super();
  }

  find(id: string): Promise<ClientRecord | null> {
    return storageCall(async () => fromHash(await this.redis.hgetall(keys.client(id))));
  }

  list(): Promise<ClientRecord[]> {
    return storageCall(async () => {
      const ids = (await this.redis.smembers(keys.clientIndex())).sort();
      if (ids.length === 0) return [];
      const pipeline = this.redis.pipeline();
      ids.forEach((id) => pipeline.hgetall(keys.client(id)));
      const replies = (await pipeline.exec()) ?? [];
      return replies.flatMap(([err, hash]) => {
        if (err) throw err;
        const record = fromHash(hash as Record<string, string>);
        return record ? [record] : [];
      });
    });
  }

  create(record: ClientRecord): Promise<void> {
    return this.save('create', record.id, [], toFields(record));
  }

  update(id: string, changes: ClientProfileChanges): Promise<void> {
    const set: Array<[string, string]> = [];
    const remove: string[] = [];
    const put = (field: string, value: string | null | undefined) => {
      if (value === null) remove.push(field);
      else if (value !== undefined) set.push([field, value]);
    };
    put(F.name, changes.name);
    put(F.authMethod, changes.tokenEndpointAuthMethod);
    put(F.resourceServer, flag(changes.resourceServer));
    put(F.requirePkce, flag(changes.requirePkce));
    put(F.redirectUris, changes.redirectUris?.join(' '));
    put(F.grantTypes, changes.grantTypes?.join(' '));
    put(F.scopes, changes.scopes?.join(' '));
    put(F.cacheServices, changes.cacheServices?.join(' '));
    put(F.accessTtl, optionalNumber(changes.accessTokenTtlSeconds));
    put(F.refreshTtl, optionalNumber(changes.refreshTokenTtlSeconds));
    put(F.updatedAt, changes.updatedAt);
    return this.save('update', id, remove, set);
  }

  rotateSecret(id: string, rotation: SecretRotation): Promise<void> {
    return storageCall(async () => {
      const result = await this.redis.rotateClientSecret(
        keys.client(id),
        rotation.secretHash,
        String(rotation.previousValidUntil ?? 0),
        rotation.updatedAt,
        keys.clientChangesChannel(),
        id,
      );
      check(result, id);
    });
  }

  delete(id: string): Promise<boolean> {
    // Blind writes: MULTI is enough, no read-check-write involved.
    return storageCall(async () => {
      const replies = await this.redis
        .multi()
        .del(keys.client(id))
        .srem(keys.clientIndex(), id)
        .publish(keys.clientChangesChannel(), id)
        .exec();
      return Number(replies?.[0]?.[1] ?? 0) > 0;
    });
  }

  watch(listener: ClientChangeListener): () => void {
    return this.subscriber.listen(keys.clientChangesChannel(), {
      message: (id) => listener.changed(id),
      live: (subscribed) => listener.live(subscribed),
    });
  }

  private save(
    mode: 'create' | 'update',
    id: string,
    remove: readonly string[],
    set: ReadonlyArray<readonly [string, string]>,
  ): Promise<void> {
    return storageCall(async () => {
      const result = await this.redis.saveClient(
        keys.client(id),
        keys.clientIndex(),
        keys.clientChangesChannel(),
        mode,
        id,
        remove.length,
        ...remove,
        ...set.flat(),
      );
      check(result, id);
    });
  }
}

function check(result: number, id: string): void {
  if (result >= 0) return;
  throw SCRIPT_ERRORS[result]?.(id) ?? new Error(`client script returned unknown code ${result}`);
}

function flag(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? '1' : '0';
}

function optionalNumber(value: number | null | undefined): string | null | undefined {
  return value === null || value === undefined ? value : String(value);
}

function toFields(r: ClientRecord): Array<[string, string]> {
  const fields: Array<[string, string | undefined]> = [
    [F.id, r.id],
    [F.name, r.name],
    [F.type, r.type],
    [F.authMethod, r.tokenEndpointAuthMethod],
    [F.resourceServer, flag(r.resourceServer)],
    [F.requirePkce, flag(r.requirePkce)],
    [F.generation, r.generation],
    [F.redirectUris, r.redirectUris.join(' ')],
    [F.grantTypes, r.grantTypes.join(' ')],
    [F.scopes, r.scopes.join(' ')],
    [F.cacheServices, r.cacheServices.join(' ')],
    [F.accessTtl, optionalNumber(r.accessTokenTtlSeconds) ?? undefined],
    [F.refreshTtl, optionalNumber(r.refreshTokenTtlSeconds) ?? undefined],
    [F.secretHash, r.secretHash],
    [F.previousSecretHash, r.previousSecretHash],
    [F.previousSecretExpiresAt, optionalNumber(r.previousSecretExpiresAt) ?? undefined],
    [F.createdAt, r.createdAt],
    [F.updatedAt, r.updatedAt],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== undefined);
}

function fromHash(h: Record<string, string>): ClientRecord | null {
  if (!h[F.id]) return null;
  const list = (v: string | undefined) => (v ? v.split(' ') : []);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return {
    id: h[F.id],
    name: h[F.name] ?? '',
    type: h[F.type] as ClientType,
    tokenEndpointAuthMethod:
      (h[F.authMethod] as TokenEndpointAuthMethod | undefined) ??
      defaultAuthMethod(h[F.type] as ClientType),
    resourceServer: h[F.resourceServer] === '1',
    // Records written before the field existed: PKCE required, as it was for every client.
    requirePkce: h[F.requirePkce] !== '0',
    // Records written before generations existed: their creation time is unique enough.
    generation: h[F.generation] ?? h[F.createdAt] ?? '',
    redirectUris: list(h[F.redirectUris]),
    grantTypes: list(h[F.grantTypes]) as GrantType[],
    scopes: list(h[F.scopes]),
    // Records written before the service cache existed have no field: no namespace.
    cacheServices: list(h[F.cacheServices]),
    accessTokenTtlSeconds: num(h[F.accessTtl]),
    refreshTokenTtlSeconds: num(h[F.refreshTtl]),
    secretHash: h[F.secretHash],
    previousSecretHash: h[F.previousSecretHash],
    previousSecretExpiresAt: num(h[F.previousSecretExpiresAt]),
    createdAt: h[F.createdAt] ?? '',
    updatedAt: h[F.updatedAt] ?? '',
  };
}
