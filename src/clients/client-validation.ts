import type { ClientType, CreateClientInput, GrantType } from './client.types';

export const CLIENT_TYPES: readonly ClientType[] = ['confidential', 'public'];
export const GRANT_TYPES: readonly GrantType[] = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'password',
];

/** Ids become part of a Redis key and of HTTP Basic credentials: keep them plain. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);
const MAX_TTL_SECONDS = 365 * 24 * 3600;

/** The fields a client record must satisfy, whatever path (API, CLI, file) they came by. */
export type ClientShape = CreateClientInput & { readonly redirectUris: readonly string[] };

/** Every problem with `client`, as messages an operator can act on; empty when valid. */
export function validateClient(client: ClientShape, allowedScopes: readonly string[]): string[] {
  const problems: string[] = [];
  if (client.id !== undefined && !CLIENT_ID.test(client.id)) {
    problems.push(
      'id must be 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit',
    );
  }
  if (typeof client.name !== 'string' || client.name.trim() === '' || client.name.length > 200) {
    problems.push('name must be a non-empty string of at most 200 characters');
  }
  if (!CLIENT_TYPES.includes(client.type)) problems.push('type must be confidential or public');
  problems.push(...grantProblems(client));
  client.redirectUris.forEach((uri) => {
    const problem = redirectUriProblem(uri);
    if (problem) problems.push(`redirect URI ${JSON.stringify(uri)} ${problem}`);
  });
  const unknownScopes = client.scopes.filter((s) => !allowedScopes.includes(s));
  if (unknownScopes.length > 0) {
    problems.push(
      `scopes not configured on this server: ${unknownScopes.join(' ')} ` +
        `(allowed: ${allowedScopes.join(' ')})`,
    );
  }
  for (const [field, ttl] of [
    ['accessTokenTtlSeconds', client.accessTokenTtlSeconds],
    ['refreshTokenTtlSeconds', client.refreshTokenTtlSeconds],
  ] as const) {
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TTL_SECONDS)) {
      problems.push(`${field} must be an integer between 1 and ${MAX_TTL_SECONDS}`);
    }
  }
  return problems;
}

function grantProblems(client: ClientShape): string[] {
  const problems: string[] = [];
  if (client.grantTypes.length === 0) problems.push('at least one grant type is required');
  const unknown = client.grantTypes.filter((g) => !GRANT_TYPES.includes(g));
  if (unknown.length > 0) {
    problems.push(`unknown grant types: ${unknown.join(' ')} (known: ${GRANT_TYPES.join(' ')})`);
  }
  // RFC 6749 section 4.4: the client credentials grant is for confidential clients only.
  if (client.type === 'public' && client.grantTypes.includes('client_credentials')) {
    problems.push('public clients may not use the client_credentials grant');
  }
  // RFC 9700 section 2.1: redirect URIs are registered up front and matched exactly.
  if (client.grantTypes.includes('authorization_code') && client.redirectUris.length === 0) {
    problems.push('the authorization_code grant needs at least one redirect URI');
  }
  return problems;
}

/**
 * Why `uri` cannot be registered, or null. RFC 6749 section 3.1.2: absolute, no fragment.
 * RFC 9700 section 2.1 / 4.1: https only, except plain http to a loopback host for native
 * apps (RFC 8252 section 7.3), since that traffic never leaves the device.
 */
export function redirectUriProblem(uri: string): string | null {
  if (typeof uri !== 'string' || /\s/.test(uri)) return 'must be a URL without whitespace';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (uri.includes('#')) return 'must not contain a fragment (RFC 6749 section 3.1.2)';
  if (url.username || url.password) return 'must not contain user credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'must use https (http is allowed only for loopback hosts, RFC 8252 section 7.3)';
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}
