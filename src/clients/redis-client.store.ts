import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys } from '../redis/keys';
import { REDIS_AUTH } from '../redis/redis.tokens';
import {
  checkScriptReply,
  ClientIdTakenError,
  ClientRecordMissingError,
  PublicClientSecretError,
} from '../redis/script-errors';
import { ClientExistsError, ClientNotFoundError, ClientValidationError } from './client.errors';
import { ClientProfileChanges, ClientRecord, ClientStore, SecretRotation } from './client.store';
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
  generation: 'generation',
  redirectUris: 'redirect_uris',
  grantTypes: 'grant_types',
  scopes: 'scopes',
  accessTtl: 'access_token_ttl_seconds',
  refreshTtl: 'refresh_token_ttl_seconds',
  secretHash: 'secret_hash',
  previousSecretHash: 'previous_secret_hash',
  previousSecretExpiresAt: 'previous_secret_expires_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

/** The only Redis access of the client registry (contract in client.store.ts). */
@Injectable()
export class RedisClientStore extends ClientStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  async find(id: string): Promise<ClientRecord | null> {
    return fromHash(await this.redis.hgetall(keys.client(id)));
  }

  async list(): Promise<ClientRecord[]> {
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
  }

  async create(record: ClientRecord): Promise<void> {
    const fields = toFields(record);
    await this.save('create', record.id, [], fields);
  }

  async update(id: string, changes: ClientProfileChanges): Promise<void> {
    const set: Array<[string, string]> = [];
    const remove: string[] = [];
    const put = (field: string, value: string | null | undefined) => {
      if (value === null) remove.push(field);
      else if (value !== undefined) set.push([field, value]);
    };
    put(F.name, changes.name);
    put(F.redirectUris, changes.redirectUris?.join(' '));
    put(F.grantTypes, changes.grantTypes?.join(' '));
    put(F.scopes, changes.scopes?.join(' '));
    put(F.accessTtl, optionalNumber(changes.accessTokenTtlSeconds));
    put(F.refreshTtl, optionalNumber(changes.refreshTokenTtlSeconds));
    put(F.updatedAt, changes.updatedAt);
    await this.save('update', id, remove, set);
  }

  async rotateSecret(id: string, rotation: SecretRotation): Promise<void> {
    const result = await this.redis.rotateClientSecret(
      keys.client(id),
      rotation.secretHash,
      String(rotation.previousValidUntil ?? 0),
      rotation.updatedAt,
    );
    this.check('rotateClientSecret', result, id);
  }

  async delete(id: string): Promise<boolean> {
    // Two blind writes: MULTI is enough, no read-check-write involved.
    const replies = await this.redis
      .multi()
      .del(keys.client(id))
      .srem(keys.clientIndex(), id)
      .exec();
    return Number(replies?.[0]?.[1] ?? 0) > 0;
  }

  private async save(
    mode: 'create' | 'update',
    id: string,
    remove: readonly string[],
    set: ReadonlyArray<readonly [string, string]>,
  ): Promise<void> {
    const result = await this.redis.saveClient(
      keys.client(id),
      keys.clientIndex(),
      mode,
      id,
      remove.length,
      ...remove,
      ...set.flat(),
    );
    this.check('saveClient', result, id);
  }

  /** Turns the script's typed outcome into the registry's domain error, naming the client. */
  private check(script: string, result: number, id: string): void {
    try {
      checkScriptReply(script, result);
    } catch (err) {
      if (err instanceof ClientIdTakenError) throw new ClientExistsError(id);
      if (err instanceof ClientRecordMissingError) throw new ClientNotFoundError(id);
      if (err instanceof PublicClientSecretError) {
        throw new ClientValidationError([
          `client ${JSON.stringify(id)} is public and has no secret`,
        ]);
      }
      throw err;
    }
  }
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
    [F.resourceServer, r.resourceServer ? '1' : '0'],
    [F.generation, r.generation],
    [F.redirectUris, r.redirectUris.join(' ')],
    [F.grantTypes, r.grantTypes.join(' ')],
    [F.scopes, r.scopes.join(' ')],
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
    // Records written before generations existed: their creation time is unique enough.
    generation: h[F.generation] ?? h[F.createdAt] ?? '',
    redirectUris: list(h[F.redirectUris]),
    grantTypes: list(h[F.grantTypes]) as GrantType[],
    scopes: list(h[F.scopes]),
    accessTokenTtlSeconds: num(h[F.accessTtl]),
    refreshTokenTtlSeconds: num(h[F.refreshTtl]),
    secretHash: h[F.secretHash],
    previousSecretHash: h[F.previousSecretHash],
    previousSecretExpiresAt: num(h[F.previousSecretExpiresAt]),
    createdAt: h[F.createdAt] ?? '',
    updatedAt: h[F.updatedAt] ?? '',
  };
}
