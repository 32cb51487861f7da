import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { METRIC } from '../metrics/metric-names';
import { randomSecret, SECRET_BYTES, sha256Hex } from '../security/secrets';
import { isSessionIdShape } from './session-cookie';
import { SessionNotFoundError } from './session.errors';
import { CONSENT_PREFIX, FIELD } from './session-record';
import { SessionStore } from './session.store';
import type { ClientContext, IssuedSession, Session } from './session.types';

/** Stored user agents are cut to this length (a header can be up to the HTTP limit). */
const MAX_USER_AGENT = 512;
/** Client ids are used in field names: no separators, bounded. */
const CLIENT_ID = /^[\x21-\x7E]{1,128}$/;

const contextFields = (context: ClientContext): Record<string, string> => ({
  [FIELD.userAgent]: (context.userAgent ?? '').slice(0, MAX_USER_AGENT),
  [FIELD.ip]: context.ip ?? '',
});

/**
 * Browser login sessions. A session id is a 256-bit random secret handed out once (for the
 * cookie); Redis holds only its SHA-256 digest. Every write is one Lua script; the lifetime
 * (SESSION_TTL_SECONDS) is fixed when a session is created and no update moves it, so
 * activity never keeps a session alive past it: the user signs in again.
 * Records `tollgate_sessions_total{event="created|ended"}`.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly store: SessionStore,
    private readonly config: AppConfig,
    @InjectMetric(METRIC.sessions) private readonly sessions: Counter<string>,
  ) {}

  /**
   * Opens a session for a user who just authenticated. Login passes the session id the
   * browser presented, if any, as `replaces`: that session (whoever's) ends in the same
   * step, so an id planted before login is worthless (no session fixation).
   */
  async create(
    userId: string,
    context: ClientContext,
    opts: { readonly replaces?: string } = {},
  ): Promise<IssuedSession> {
    const nowMs = Date.now();
    const previous = isSessionIdShape(opts.replaces)
      ? { digest: sha256Hex(opts.replaces), mode: 'replace' as const }
      : undefined;
    return this.open(userId, nowMs, {
      fields: {
        [FIELD.userId]: userId,
        [FIELD.authTime]: String(Math.floor(nowMs / 1000)),
        [FIELD.createdAt]: String(nowMs),
        [FIELD.lastActivity]: String(nowMs),
        ...contextFields(context),
      },
      previous,
    });
  }

  /**
   * Gives a live session a new id (e.g. on a privilege change): the old id stops working in
   * the same step, the new one keeps the user, auth time and consents, and lives no longer
   * than the old one had left. Null when the old session is not live.
   */
  async rotate(oldId: string, context: ClientContext): Promise<IssuedSession | null> {
    const current = await this.find(oldId);
    if (!current) return null;
    const nowMs = Date.now();
    try {
      return await this.open(current.userId, nowMs, {
        fields: { [FIELD.lastActivity]: String(nowMs), ...contextFields(context) },
        previous: { digest: current.handle, mode: 'rotate' },
      });
    } catch (err) {
      if (err instanceof SessionNotFoundError) return null;
      throw err;
    }
  }

  /** The live session for an id (from the cookie), or null. Writes nothing. */
  find(id: string | undefined): Promise<Session | null> {
    if (!isSessionIdShape(id)) return Promise.resolve(null);
    return this.store.find(sha256Hex(id), Date.now());
  }

  /** Records activity; the expiry does not move. Null when the session is not live. */
  touch(id: string | undefined): Promise<Session | null> {
    return this.update(id, { [FIELD.lastActivity]: String(Date.now()) });
  }

  /** Remembers, for this session, the scopes the user granted a client (replacing earlier ones). */
  recordConsent(
    id: string | undefined,
    clientId: string,
    scopes: readonly string[],
  ): Promise<Session | null> {
    if (!CLIENT_ID.test(clientId)) throw new RangeError('not a client id');
    return this.update(id, {
      [`${CONSENT_PREFIX}${clientId}`]: [...new Set(scopes)].join(' '),
      [FIELD.lastActivity]: String(Date.now()),
    });
  }

  /** Ends the session (logout). True if there was a live session to end. */
  async end(id: string | undefined): Promise<boolean> {
    if (!isSessionIdShape(id)) return false;
    return this.ended(await this.store.end(sha256Hex(id), Date.now()));
  }

  /** Ends one session of a user by its handle (listing, admin); another user's is untouched. */
  async endByHandle(userId: string, handle: string): Promise<boolean> {
    if (!/^[0-9a-f]{64}$/.test(handle)) return false;
    return this.ended(await this.store.end(handle, Date.now(), userId));
  }

  /** The user's live sessions, soonest to expire first. */
  listForUser(userId: string): Promise<Session[]> {
    return this.store.listForUser(userId, Date.now());
  }

  /** Ends every session of the user (sign out everywhere, user disabled); returns how many. */
  async endAllForUser(userId: string): Promise<number> {
    const count = await this.store.endAllForUser(userId);
    if (count > 0) this.sessions.inc({ event: 'ended' }, count);
    return count;
  }

  private update(id: string | undefined, fields: Record<string, string>): Promise<Session | null> {
    if (!isSessionIdShape(id)) return Promise.resolve(null);
    return this.store.update(sha256Hex(id), fields, Date.now());
  }

  private ended(userId: string | null): boolean {
    if (userId === null) return false;
    this.sessions.inc({ event: 'ended' });
    return true;
  }

  private async open(
    userId: string,
    nowMs: number,
    record: {
      fields: Record<string, string>;
      previous?: { digest: string; mode: 'replace' | 'rotate' };
    },
  ): Promise<IssuedSession> {
    const id = randomSecret(SECRET_BYTES);
    const digest = sha256Hex(id);
    const ttlMs = this.config.sessions.ttlSeconds * 1000;
    const created = await this.store.create({ digest, userId, nowMs, ttlMs, ...record });
    this.sessions.inc({ event: 'created' });
    if (created.endedPrevious) this.sessions.inc({ event: 'ended' });
    return { id, handle: digest, expiresAt: new Date(nowMs + created.ttlMs) };
  }
}
