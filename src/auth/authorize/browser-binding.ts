import { createHash, timingSafeEqual } from 'node:crypto';
import { randomSecret, sha256Hex } from '../../security/secrets';

/**
 * The browser binding of an interaction: a random secret in an HttpOnly cookie whose digest
 * is in the interaction record, so an interaction id (it travels in URLs) is useless in
 * another browser. One cookie per browser serves all its interactions (several tabs). The
 * CSRF token of a page is derived from both (`csrfToken`): a forged cross-site POST
 * cannot know it, and nothing secret is stored in clear.
 */
export interface BindingCookieSettings {
  /** SESSION_COOKIE_SECURE: `Secure` and the `__Host-` prefix, like the session cookie. */
  readonly secure: boolean;
  readonly maxAgeSeconds: number;
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;

export const bindingCookieName = (secure: boolean): string =>
  secure ? '__Host-tollgate_interaction' : 'tollgate_interaction';

/** True for values shaped like a binding secret or interaction id (256-bit base64url). */
export const isSecretShape = (value: unknown): value is string =>
  typeof value === 'string' && SECRET.test(value);

export const newSecret = (): string => randomSecret();

export function bindingCookie(settings: BindingCookieSettings, secret: string): string {
  // SameSite=Lax: sent on the top-level GET from the client to /oauth2/authorize and on
  // same-site form POSTs, never on cross-site POSTs.
  const parts = [
    `${bindingCookieName(settings.secure)}=${secret}`,
    'Path=/',
    `Max-Age=${settings.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (settings.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The binding secret from a Cookie header, or undefined. */
export function readBindingCookie(header: string | undefined, secure: boolean): string | undefined {
  const name = bindingCookieName(secure);
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      const value = pair.slice(eq + 1).trim();
      return isSecretShape(value) ? value : undefined;
    }
  }
  return undefined;
}

export const bindingDigest = (secret: string): string => sha256Hex(secret);

/** The CSRF token of an interaction's forms in the browser holding `bindingSecret`. */
export function csrfToken(interactionId: string, bindingSecret: string): string {
  return createHash('sha256')
    .update(`tollgate-csrf\0${interactionId}\0${bindingSecret}`)
    .digest('base64url');
}

/** Constant-time equality of two strings (compared as SHA-256 digests: equal lengths). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}
