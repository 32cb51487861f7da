import type { OAuthClient } from '../../clients/client.types';
import { invalidRequest, invalidScope, OAuthError, unsupportedResponseType } from '../errors';
import { defaultScope } from '../grants/scope-policy';
import { resolveRedirectUri } from './redirect-uri';

export type Prompt = 'none' | 'login' | 'consent';

/** A validated authorization request (RFC 6749 section 4.1.1, RFC 7636 section 4.3). */
export interface AuthorizationRequest {
  readonly clientId: string;
  /** The registered URI the answer goes to (the requested one, or the only registered one). */
  readonly redirectUri: string;
  readonly scope: readonly string[];
  readonly state?: string;
  /** Both absent: a request without PKCE, allowed only for a client with require_pkce=false. */
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256';
  readonly prompt: readonly Prompt[];
  /** Seconds; a sign-in older than this must be repeated (OIDC Core section 3.1.2.1). */
  readonly maxAge?: number;
}

/** Query or form parameters as Fastify parsed them: a repeated one is an array. */
export type RawParams = Readonly<Record<string, unknown>>;

/** RFC 7636 section 4.2: 43-128 unreserved characters (S256 gives 43 base64url ones). */
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
/** RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** RFC 6749 Appendix A.5: state = 1*VSCHAR. */
const VSCHAR = /^[\x20-\x7E]+$/;
const MAX_LENGTH = 2048;

const pageError = (hint: string): OAuthError => invalidRequest.withHint(hint).withRedirect(false);
const redirected = (err: OAuthError, hint: string): OAuthError =>
  err.withHint(hint).withRedirect(true);

/** A single, non-empty parameter; an empty one counts as absent (RFC 6749 section 3.1). */
function single(params: RawParams, name: string): string | undefined | string[] {
  const value = params[name];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value === '') return undefined;
  return value;
}

/**
 * Step 1, whose errors are shown on the error page and never redirected (RFC 6749 section
 * 4.1.2.1): the client must exist and be allowed the authorization_code grant, and the
 * redirect URI must be one of its registered ones. Returns that URI.
 */
export function checkClientAndRedirect(
  params: RawParams,
  client: OAuthClient | null,
): { client: OAuthClient; redirectUri: string } {
  const clientId = single(params, 'client_id');
  if (clientId === undefined) throw pageError('The request names no client (client_id is missing)');
  if (Array.isArray(clientId)) throw pageError('client_id is included more than once');
  if (!client) throw pageError('The client is unknown');
  if (!client.grantTypes.includes('authorization_code')) {
    throw pageError('The client is not allowed the authorization code flow');
  }
  const requested = single(params, 'redirect_uri');
  if (Array.isArray(requested)) throw pageError('redirect_uri is included more than once');
  const redirectUri = resolveRedirectUri(client, requested);
  if (!redirectUri) {
    throw pageError(
      requested === undefined
        ? 'redirect_uri is missing and the client has several registered'
        : 'redirect_uri is not registered for this client',
    );
  }
  return { client, redirectUri };
}

/** The `state` to echo in an error redirect, when the request carried exactly one. */
export function stateOf(params: RawParams): string | undefined {
  const state = single(params, 'state');
  return typeof state === 'string' && VSCHAR.test(state) && state.length <= MAX_LENGTH
    ? state
    : undefined;
}

/**
 * Step 2, once the client and redirect URI are trusted: every other check; errors may be
 * redirected to the client (OAuthError.mayRedirect). `scopesOf` gives what the client may
 * be granted.
 */
export function checkAuthorizationRequest(
  params: RawParams,
  client: OAuthClient,
  redirectUri: string,
): AuthorizationRequest {
  for (const [name, value] of Object.entries(params)) {
    // RFC 6749 section 3.1: request parameters MUST NOT be included more than once.
    if (Array.isArray(value)) {
      throw redirected(invalidRequest, `Parameter ${name.slice(0, 64)} is included more than once`);
    }
    if (typeof value === 'string' && value.length > MAX_LENGTH) {
      throw redirected(invalidRequest, `Parameter ${name.slice(0, 64)} is too long`);
    }
  }
  const responseType = single(params, 'response_type');
  if (responseType === undefined) throw redirected(invalidRequest, 'response_type is missing');
  if (responseType !== 'code') {
    throw redirected(unsupportedResponseType, 'Only response_type=code is supported');
  }
  const state = single(params, 'state') as string | undefined;
  if (state !== undefined && !VSCHAR.test(state)) {
    throw redirected(invalidRequest, 'state must be printable ASCII');
  }
  return {
    clientId: client.id,
    redirectUri,
    scope: checkScope(single(params, 'scope') as string | undefined, client),
    ...(state !== undefined ? { state } : {}),
    ...checkPkce(params, client),
    prompt: checkPrompt(single(params, 'prompt') as string | undefined),
    ...checkMaxAge(single(params, 'max_age') as string | undefined),
  };
}

/**
 * RFC 6749 section 3.3: a requested scope must be a subset of the client's scopes; omitted,
 * the client's default (scope-policy.ts: its scopes except the explicit-only ones).
 */
function checkScope(raw: string | undefined, client: OAuthClient): string[] {
  if (raw === undefined) return defaultScope(client.scopes);
  const requested = [...new Set(raw.split(' ').filter((s) => s !== ''))];
  if (!requested.every((s) => SCOPE_TOKEN.test(s))) {
    throw redirected(invalidScope, 'The scope is malformed');
  }
  const unknown = requested.filter((s) => !client.scopes.includes(s));
  if (unknown.length > 0) {
    throw redirected(
      invalidScope,
      `The client may not request: ${unknown.join(' ').slice(0, 200)}`,
    );
  }
  return requested;
}

/**
 * PKCE (RFC 7636) is mandatory for every public client and, unless its `require_pkce` is
 * turned off, for every confidential one (RFC 9700 section 2.1.1, OAuth 2.1). Only S256 is
 * accepted, from every client: `plain` (also RFC 7636's default when the method is omitted)
 * protects nothing once the challenge leaks. A client exempt from PKCE may still send a
 * challenge, which then binds the code as for any other client.
 */
function checkPkce(
  params: RawParams,
  client: OAuthClient,
): Pick<AuthorizationRequest, 'codeChallenge' | 'codeChallengeMethod'> {
  const challenge = single(params, 'code_challenge') as string | undefined;
  const method = single(params, 'code_challenge_method') as string | undefined;
  // A public client is never exempt, whatever its record says (client-validation.ts refuses it).
  const required = client.requirePkce !== false || client.type === 'public';
  if (challenge === undefined && required) {
    throw redirected(invalidRequest, 'code_challenge is required (PKCE, RFC 7636)');
  }
  if (challenge === undefined) {
    if (method !== undefined) {
      throw redirected(invalidRequest, 'code_challenge_method was sent without code_challenge');
    }
    return {};
  }
  if (!CODE_CHALLENGE.test(challenge)) {
    throw redirected(invalidRequest, 'code_challenge must be 43-128 base64url characters');
  }
  if (method !== 'S256') {
    throw redirected(invalidRequest, 'code_challenge_method must be S256 (plain is not accepted)');
  }
  return { codeChallenge: challenge, codeChallengeMethod: 'S256' };
}

/** OIDC Core section 3.1.2.1: a space-separated list; `none` stands alone. */
function checkPrompt(raw: string | undefined): Prompt[] {
  if (raw === undefined) return [];
  const values = [...new Set(raw.split(' ').filter((s) => s !== ''))];
  if (!values.every((v): v is Prompt => v === 'none' || v === 'login' || v === 'consent')) {
    throw redirected(invalidRequest, 'prompt must be none, login or consent');
  }
  if (values.includes('none') && values.length > 1) {
    throw redirected(invalidRequest, 'prompt=none cannot be combined with other values');
  }
  return values;
}

function checkMaxAge(raw: string | undefined): { maxAge?: number } {
  if (raw === undefined) return {};
  if (!/^\d{1,9}$/.test(raw)) {
    throw redirected(invalidRequest, 'max_age must be a non-negative integer (seconds)');
  }
  return { maxAge: Number(raw) };
}
