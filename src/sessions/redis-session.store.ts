import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { keys } from '../redis/keys';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { storageCall } from '../redis/redis-unavailable';
import { checkSessionReply } from './session.errors';
import { IMMUTABLE_FIELDS, toFields, toFlat, toSession } from './session-record';
import { CreatedSession, NewSessionRecord, SessionStore } from './session.store';
import type { Session } from './session.types';

/** Prefixes (keys.ts builders with an empty id) for keys only the Lua scripts can name. */
const SESSION_PREFIX = keys.session('');
const USER_SESSIONS_PREFIX = keys.userSessions('');

const digestOf = (sessionKey: string): string => sessionKey.slice(SESSION_PREFIX.length);

/**
 * SessionStore on the auth DB through the Lua scripts of src/redis/scripts (createSession,
 * updateSession, endSession, endUserSessions). Reads are one MULTI (record + PTTL). Every
 * call goes through storageCall, so a Redis outage leaves this class as
 * RedisUnavailableException. Sessions are not durable writes (no WAIT): a session lost in a
 * failover costs the user a new login, not a security property.
 */
@Injectable()
export class RedisSessionStore extends SessionStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  create(r: NewSessionRecord): Promise<CreatedSession> {
    const key = keys.session(r.digest);
    return storageCall(async () => {
      const reply = await this.redis.createSession(
        key,
        keys.userSessions(r.userId),
        r.previous ? keys.session(r.previous.digest) : key,
        r.nowMs,
        r.ttlMs,
        r.previous?.mode ?? 'none',
        USER_SESSIONS_PREFIX,
        r.userId,
        ...toFlat(r.fields),
      );
      const [ttlMs, ended] = checkSessionReply('createSession', reply);
      return { ttlMs: Number(ttlMs), endedPrevious: ended === 1 };
    });
  }

  find(digest: string, nowMs: number): Promise<Session | null> {
    return storageCall(async () => (await this.read([keys.session(digest)], nowMs))[0]);
  }

  update(
    digest: string,
    fields: Readonly<Record<string, string>>,
    nowMs: number,
  ): Promise<Session | null> {
    const names = Object.keys(fields);
    if (names.length === 0) throw new RangeError('a session update needs at least one field');
    const fixed = names.filter((name) => IMMUTABLE_FIELDS.has(name));
    if (fixed.length > 0) throw new RangeError(`session fields ${fixed.join(', ')} are fixed`);
    return storageCall(async () => {
      const reply = await this.redis.updateSession(keys.session(digest), ...toFlat(fields));
      if (typeof reply === 'number') return null;
      const [ttlMs, ...flat] = reply;
      return toSession(digest, toFields(flat), Number(ttlMs), nowMs);
    });
  }

  end(digest: string, nowMs: number, userId = ''): Promise<string | null> {
    return storageCall(async () => {
      const ended = await this.redis.endSession(
        keys.session(digest),
        USER_SESSIONS_PREFIX,
        nowMs,
        userId,
      );
      return ended === '' ? null : ended;
    });
  }

  listForUser(userId: string, nowMs: number): Promise<Session[]> {
    return storageCall(async () => {
      const sessionKeys = await this.redis.zrangebyscore(
        keys.userSessions(userId),
        `(${nowMs}`,
        '+inf',
      );
      const sessions = await this.read(sessionKeys, nowMs);
      return sessions.filter((s): s is Session => s !== null && s.userId === userId);
    });
  }

  endAllForUser(userId: string): Promise<number> {
    return storageCall(() => this.redis.endUserSessions(keys.userSessions(userId), userId));
  }

  /** Each session key's record and remaining life, in one atomic round trip. */
  private async read(sessionKeys: readonly string[], nowMs: number): Promise<(Session | null)[]> {
    if (sessionKeys.length === 0) return [];
    const multi = this.redis.multi();
    for (const key of sessionKeys) multi.hgetall(key).pttl(key);
    const replies = (await multi.exec()) ?? [];
    return sessionKeys.map((key, i) => {
      const [fieldsErr, fields] = replies[2 * i] ?? [];
      const [ttlErr, ttl] = replies[2 * i + 1] ?? [];
      if (fieldsErr) throw fieldsErr;
      if (ttlErr) throw ttlErr;
      return toSession(digestOf(key), fields as Record<string, string>, Number(ttl), nowMs);
    });
  }
}
