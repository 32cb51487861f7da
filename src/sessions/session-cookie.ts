/**
 * The session cookie (RFC 6265), as pure functions: the interaction pages set it after login
 * and clear it at logout. Attributes:
 * - `HttpOnly`: page scripts never see the id (an XSS cannot read it).
 * - `Secure` (SESSION_COOKIE_SECURE, off only for local http): sent over https only.
 * - `SameSite=Lax`: not sent on cross-site subrequests or POSTs (CSRF), but sent on the
 *   top-level GET navigation that brings a user from an application to /oauth2/authorize,
 *   which must see the session.
 * - `Path=/` and no `Domain`: host-only, which the `__Host-` name prefix (the default when
 *   Secure) makes browsers enforce, so a sibling subdomain cannot plant a session id.
 * - `Max-Age`: the session's remaining life, so the browser drops the cookie when Redis
 *   drops the session.
 */
export interface SessionCookieSettings {
  readonly name: string;
  readonly secure: boolean;
}

/** Session ids are 256-bit secrets.randomSecret values: 43 base64url characters. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** True when `value` has the shape of a session id (anything else is never looked up). */
export function isSessionIdShape(value: string | undefined): value is string {
  return value !== undefined && SESSION_ID.test(value);
}

function attributes(settings: SessionCookieSettings, maxAgeSeconds: number): string {
  const parts = ['Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (settings.secure) parts.push('Secure');
  return parts.join('; ');
}

/** `Set-Cookie` value carrying the session id until the session expires. */
export function sessionCookie(
  settings: SessionCookieSettings,
  id: string,
  expiresAt: Date,
  nowMs = Date.now(),
): string {
  if (!isSessionIdShape(id)) throw new RangeError('not a session id');
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - nowMs) / 1000));
  return `${settings.name}=${id}; ${attributes(settings, maxAge)}`;
}

/** `Set-Cookie` value that makes the browser drop the session cookie (logout). */
export function clearSessionCookie(settings: SessionCookieSettings): string {
  return `${settings.name}=; ${attributes(settings, 0)}`;
}

/**
 * The session id from a `Cookie` request header, or undefined when absent or malformed. With
 * several cookies of that name (possible only without the `__Host-` prefix) the first one,
 * the most specific path, wins, as browsers order them (RFC 6265 section 5.4).
 */
export function readSessionCookie(
  cookieHeader: string | undefined,
  name: string,
): string | undefined {
  if (!cookieHeader) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      const value = pair.slice(eq + 1).trim();
      return isSessionIdShape(value) ? value : undefined;
    }
  }
  return undefined;
}
