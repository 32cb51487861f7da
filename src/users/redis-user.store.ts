import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys } from '../redis/keys';
import { storageCall } from '../redis/redis-unavailable';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { UsernameTakenError, UserNotFoundError } from './user.errors';
import { UserChanges, UserRecord, UserStore } from './user.store';
import { normalizeUsername } from './user.types';

/** Hash field names of `auth:user:{id}`. */
const F = {
  id: 'id',
  username: 'username',
  displayName: 'display_name',
  disabled: 'disabled',
  passwordHash: 'password_hash',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

/**
 * Looked up when a username has no index entry, so an unknown name costs the same two
 * round trips as a known one (UserStore.findByUsername). No user has this id: ids are
 * random UUIDs, and this is not one.
 */
const NO_USER_ID = 'no-such-user';

/** The only Redis access of the user registry (contract in user.store.ts). */
@Injectable()
export class RedisUserStore extends UserStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  find(id: string): Promise<UserRecord | null> {
    return storageCall(async () => fromHash(await this.redis.hgetall(keys.user(id))));
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return storageCall(async () => {
      const id = await this.redis.get(keys.username(normalizeUsername(username)));
      return fromHash(await this.redis.hgetall(keys.user(id ?? NO_USER_ID)));
    });
  }

  list(): Promise<UserRecord[]> {
    return storageCall(async () => {
      const ids = await this.redis.smembers(keys.userIndex());
      if (ids.length === 0) return [];
      const pipeline = this.redis.pipeline();
      ids.forEach((id) => pipeline.hgetall(keys.user(id)));
      const replies = (await pipeline.exec()) ?? [];
      const records = replies.flatMap(([err, hash]) => {
        if (err) throw err;
        const record = fromHash(hash as Record<string, string>);
        return record ? [record] : [];
      });
      const byName = (u: UserRecord) => normalizeUsername(u.username);
      return records.sort((a, b) => (byName(a) < byName(b) ? -1 : byName(a) > byName(b) ? 1 : 0));
    });
  }

  create(record: UserRecord): Promise<void> {
    return storageCall(async () => {
      const result = await this.redis.createUser(
        keys.user(record.id),
        keys.username(normalizeUsername(record.username)),
        keys.userIndex(),
        record.id,
        ...toFields(record).flat(),
      );
      if (result === -1) throw new UsernameTakenError(record.username);
      if (result < 0) throw new Error(`createUser returned ${result} for ${record.id}`);
    });
  }

  update(id: string, changes: UserChanges): Promise<void> {
    const set: Array<[string, string]> = [[F.updatedAt, changes.updatedAt]];
    const remove: string[] = [];
    if (changes.disabled !== undefined) set.push([F.disabled, changes.disabled ? '1' : '0']);
    if (changes.passwordHash !== undefined) set.push([F.passwordHash, changes.passwordHash]);
    if (changes.displayName === null) remove.push(F.displayName);
    else if (changes.displayName !== undefined) set.push([F.displayName, changes.displayName]);
    return storageCall(async () => {
      const result = await this.redis.updateUser(
        keys.user(id),
        remove.length,
        ...remove,
        ...set.flat(),
      );
      if (result === -2) throw new UserNotFoundError(id);
    });
  }

  delete(id: string): Promise<boolean> {
    return storageCall(async () => {
      // The username key is named by the record; a username never changes, so reading it
      // first is safe, and the script frees it only while it still points at this id.
      const username = await this.redis.hget(keys.user(id), F.username);
      if (username === null) return false;
      const result = await this.redis.deleteUser(
        keys.user(id),
        keys.username(normalizeUsername(username)),
        keys.userIndex(),
        id,
      );
      return result === 1;
    });
  }
}

function toFields(r: UserRecord): Array<[string, string]> {
  const fields: Array<[string, string | undefined]> = [
    [F.id, r.id],
    [F.username, r.username],
    [F.displayName, r.displayName],
    [F.disabled, r.disabled ? '1' : '0'],
    [F.passwordHash, r.passwordHash],
    [F.createdAt, r.createdAt],
    [F.updatedAt, r.updatedAt],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== undefined);
}

function fromHash(h: Record<string, string>): UserRecord | null {
  if (!h[F.id]) return null;
  return {
    id: h[F.id],
    username: h[F.username] ?? '',
    displayName: h[F.displayName],
    disabled: h[F.disabled] === '1',
    passwordHash: h[F.passwordHash] ?? '',
    createdAt: h[F.createdAt] ?? '',
    updatedAt: h[F.updatedAt] ?? '',
  };
}
