import { createHash } from 'node:crypto';
import { sameSecret } from '../auth/authorize/browser-binding';

/**
 * The CSRF token of the logout form: derived from the session id, which only the browser
 * holding the (HttpOnly) session cookie knows, so a cross-site form cannot sign a user out.
 */
export function logoutToken(sessionId: string): string {
  return createHash('sha256').update(`tollgate-logout\0${sessionId}`).digest('base64url');
}

export function logoutTokenMatches(sessionId: string, presented: string | undefined): boolean {
  return sameSecret(presented, logoutToken(sessionId));
}
