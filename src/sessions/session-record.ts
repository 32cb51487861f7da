import type { Session } from './session.types';

/**
 * The hash fields of `auth:session:{digest}` and their mapping to Session. Times are unix
 * milliseconds except `auth_time` (whole seconds, as OIDC's `auth_time` claim). Consents are
 * one field per client, `consent:<client_id>` = space-separated scopes; later additions
 * (amr, acr) are more fields, read by name.
 */
export const FIELD = {
  userId: 'user_id',
  authTime: 'auth_time',
  createdAt: 'created_at',
  lastActivity: 'last_activity',
  userAgent: 'user_agent',
  ip: 'ip',
} as const;

export const CONSENT_PREFIX = 'consent:';

/** Fields fixed at creation: an update never writes them. */
export const IMMUTABLE_FIELDS: ReadonlySet<string> = new Set([
  FIELD.userId,
  FIELD.authTime,
  FIELD.createdAt,
]);

/** Flat field/value list (a Redis reply) to a record. */
export function toFields(flat: ReadonlyArray<string | number>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1]);
  return fields;
}

/** Record -> flat field/value list for HSET. */
export function toFlat(fields: Readonly<Record<string, string>>): string[] {
  return Object.entries(fields).flat();
}

/** A stored record and its remaining life to a Session; null for a record without a user. */
export function toSession(
  handle: string,
  fields: Readonly<Record<string, string>>,
  ttlMs: number,
  nowMs: number,
): Session | null {
  const userId = fields[FIELD.userId];
  if (!userId || ttlMs <= 0) return null;
  const consents: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith(CONSENT_PREFIX)) {
      consents[field.slice(CONSENT_PREFIX.length)] = value.split(' ').filter(Boolean);
    }
  }
  return {
    handle,
    userId,
    authTime: new Date(Number(fields[FIELD.authTime]) * 1000),
    createdAt: new Date(Number(fields[FIELD.createdAt])),
    lastActivity: new Date(Number(fields[FIELD.lastActivity])),
    userAgent: fields[FIELD.userAgent] ?? '',
    ip: fields[FIELD.ip] ?? '',
    consents,
    expiresAt: new Date(nowMs + ttlMs),
  };
}
