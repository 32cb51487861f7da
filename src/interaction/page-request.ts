import type { FastifyRequest } from 'fastify';
import type { BrowserState } from '../auth/authorize/authorization-flow.service';
import { readBindingCookie } from '../auth/authorize/browser-binding';
import { invalidRequest } from '../auth/errors';
import type { AppConfig } from '../config/app-config';
import { readSessionCookie } from '../sessions/session-cookie';
import type { ClientContext } from '../sessions/session.types';

const fromAnotherSite = invalidRequest
  .withHint('This form was sent from another site. Go back to the page and try again.')
  .withStatus(403)
  .withRedirect(false);

/**
 * Refuses a form post the browser itself reports as sent by another site (Fetch Metadata:
 * `Sec-Fetch-Site: cross-site` or `same-site`): only this server's own pages post to
 * /login, /consent and /logout. A second layer behind the CSRF token and the SameSite=Lax
 * cookies; browsers without Fetch Metadata and non-browser clients send no such header, and
 * then the token alone decides. (`Origin` cannot serve: under the pages' `Referrer-Policy:
 * no-referrer` browsers send `Origin: null` on their own form posts.)
 */
export function refuseCrossSitePost(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw fromAnotherSite;
}

/** Longest form value the pages read (usernames are <= 128, passwords <= 1024). */
const MAX_FIELD = 2048;

/** One string field of a posted form or query; arrays, objects and over-long values count as absent. */
export function field(source: unknown, name: string): string | undefined {
  if (!source || typeof source !== 'object') return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length <= MAX_FIELD ? value : undefined;
}

/** The session and interaction-binding cookies the browser sent. */
export function browserState(request: FastifyRequest, config: AppConfig): BrowserState {
  const cookie = request.headers.cookie;
  return {
    sessionId: readSessionCookie(cookie, config.sessions.cookie.name),
    bindingSecret: readBindingCookie(cookie, config.sessions.cookie.secure),
  };
}

/** Where a login comes from, as stored on the session (request.ip honours TRUST_PROXY). */
export function clientContext(request: FastifyRequest): ClientContext {
  const agent = request.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent : undefined, ip: request.ip };
}
