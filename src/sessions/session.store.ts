import type { Session } from './session.types';

/** A session to create in one atomic write; the digest only, never the session id. */
export interface NewSessionRecord {
  readonly digest: string;
  readonly userId: string;
  /** Hash fields of the new session (session-record.ts), user_id included. */
  readonly fields: Readonly<Record<string, string>>;
  readonly nowMs: number;
  readonly ttlMs: number;
  /**
   * A session this one takes over from, ended in the same step: `replace` (login: whatever
   * session the browser presented, of any user, if it still exists) or `rotate` (the same
   * user's live session: its fields are carried over and the new one lives no longer than
   * it had left).
   */
  readonly previous?: { readonly digest: string; readonly mode: 'replace' | 'rotate' };
}

export interface CreatedSession {
  readonly ttlMs: number;
  /** A previous session existed and was ended. */
  readonly endedPrevious: boolean;
}

/**
 * Storage of browser sessions, addressed by the SHA-256 digest of their id. Every write is
 * one Lua script (one round trip, atomic). A Redis outage throws RedisUnavailableException.
 *
 * Expiry: a session's TTL is set once, by `create`, and nothing else moves it: `update`
 * writes fields only while the session is live and never resets or drops its TTL, and no
 * method revives an ended or expired session.
 *
 * Every session is listed in its user's index (keys.userSessions), trimmed of expired
 * entries on each index write and expiring with its longest-lived session: no index outlives
 * the sessions it lists, and no cleanup job is needed.
 */
export abstract class SessionStore {
  /**
   * Stores a new session (and ends `previous`, see NewSessionRecord). Afterwards `find`
   * returns it and `listForUser` lists it. Throws SessionNotFoundError when rotating a session
   * that is gone or another user's, DuplicateSessionError on a digest collision (nothing
   * written for either).
   */
  abstract create(record: NewSessionRecord): Promise<CreatedSession>;

  /** The live session, or null (unknown, ended, expired). Writes nothing. */
  abstract find(digest: string, nowMs: number): Promise<Session | null>;

  /**
   * Sets `fields` on the live session and returns it as updated, with its expiry unchanged;
   * null (nothing written) when the session is not live. Fields fixed at creation (user_id,
   * auth_time, created_at) are refused with a RangeError, as is an empty update.
   */
  abstract update(
    digest: string,
    fields: Readonly<Record<string, string>>,
    nowMs: number,
  ): Promise<Session | null>;

  /**
   * Ends the session (and drops it from its user's index); afterwards `find` returns null.
   * With `userId`, only a session of that user is ended. Returns the ended session's user id,
   * or null when there was nothing to end.
   */
  abstract end(digest: string, nowMs: number, userId?: string): Promise<string | null>;

  /** The user's live sessions, soonest to expire first. Writes nothing. */
  abstract listForUser(userId: string, nowMs: number): Promise<Session[]>;

  /**
   * Ends every session of the user and deletes the index; returns how many it ended.
   * Afterwards `find` returns null for each of them and `listForUser` is empty.
   */
  abstract endAllForUser(userId: string): Promise<number>;
}
