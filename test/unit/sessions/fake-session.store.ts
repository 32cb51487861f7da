import { DuplicateSessionError, SessionNotFoundError } from '../../../src/sessions/session.errors';
import { IMMUTABLE_FIELDS, toSession } from '../../../src/sessions/session-record';
import {
  CreatedSession,
  NewSessionRecord,
  SessionStore,
} from '../../../src/sessions/session.store';
import type { Session } from '../../../src/sessions/session.types';

interface Stored {
  fields: Record<string, string>;
  expiresAtMs: number;
}

/** SessionStore in memory, following the contract in session.store.ts (expiry by nowMs). */
export class FakeSessionStore extends SessionStore {
  readonly records = new Map<string, Stored>();

  create(r: NewSessionRecord): Promise<CreatedSession> {
    if (this.records.has(r.digest)) throw new DuplicateSessionError('createSession', -1, 'dup');
    let ttlMs = r.ttlMs;
    let fields = { ...r.fields };
    const previous = r.previous && this.live(r.previous.digest, r.nowMs);
    if (r.previous?.mode === 'rotate') {
      if (!previous || previous.fields.user_id !== r.userId) {
        throw new SessionNotFoundError('createSession', -2, 'gone');
      }
      ttlMs = Math.min(ttlMs, previous.expiresAtMs - r.nowMs);
      fields = { ...previous.fields, ...fields };
    }
    if (r.previous) this.records.delete(r.previous.digest);
    this.records.set(r.digest, { fields, expiresAtMs: r.nowMs + ttlMs });
    return Promise.resolve({ ttlMs, endedPrevious: Boolean(previous) });
  }

  find(digest: string, nowMs: number): Promise<Session | null> {
    return Promise.resolve(this.view(digest, nowMs));
  }

  update(digest: string, fields: Record<string, string>, nowMs: number): Promise<Session | null> {
    if (Object.keys(fields).some((f) => IMMUTABLE_FIELDS.has(f))) throw new RangeError('fixed');
    const stored = this.live(digest, nowMs);
    if (stored) Object.assign(stored.fields, fields);
    return Promise.resolve(this.view(digest, nowMs));
  }

  end(digest: string, nowMs: number, userId?: string): Promise<string | null> {
    const stored = this.live(digest, nowMs);
    if (!stored || (userId && stored.fields.user_id !== userId)) return Promise.resolve(null);
    this.records.delete(digest);
    return Promise.resolve(stored.fields.user_id);
  }

  listForUser(userId: string, nowMs: number): Promise<Session[]> {
    const sessions = [...this.records.keys()]
      .map((digest) => this.view(digest, nowMs))
      .filter((s): s is Session => s?.userId === userId);
    return Promise.resolve(sessions.sort((a, b) => +a.expiresAt - +b.expiresAt));
  }

  endAllForUser(userId: string): Promise<number> {
    let ended = 0;
    for (const [digest, stored] of this.records) {
      if (stored.fields.user_id === userId) ended += Number(this.records.delete(digest));
    }
    return Promise.resolve(ended);
  }

  private live(digest: string, nowMs: number): Stored | undefined {
    const stored = this.records.get(digest);
    return stored && stored.expiresAtMs > nowMs ? stored : undefined;
  }

  private view(digest: string, nowMs: number): Session | null {
    const stored = this.live(digest, nowMs);
    return stored ? toSession(digest, stored.fields, stored.expiresAtMs - nowMs, nowMs) : null;
  }
}
