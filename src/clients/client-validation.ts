import type {
  ClientType,
  CreateClientInput,
  GrantType,
  TokenEndpointAuthMethod,
} from './client.types';

export const CLIENT_TYPES: readonly ClientType[] = ['confidential', 'public'];
export const GRANT_TYPES: readonly GrantType[] = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'password',
];
export const TOKEN_ENDPOINT_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'none',
];

/** Ids become part of a Redis key and of HTTP Basic credentials: keep them plain. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const CLIENT_ID_RULE =
  '1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit';

/**
 * Same number as MAX_FIELD_LENGTH in src/auth/form-body.ts (the token endpoint refuses a
 * longer parameter), duplicated rather than imported so clients/ does not depend on auth/:
 * a longer redirect URI could be registered but never sent as `redirect_uri`.
 */
export const MAX_REDIRECT_URI_LENGTH = 4096;
export const MAX_REDIRECT_URIS = 50;
export const MAX_SCOPES = 100;
export const MAX_NAME_LENGTH = 200;
export const MAX_TTL_SECONDS = 365 * 24 * 3600;

/** A service cache namespace: part of Redis keys and URL paths, so plain and without `:`. */
export const CACHE_SERVICE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const CACHE_SERVICE_RULE =
  '1-64 characters of a-z 0-9 _ - starting with a lowercase letter or digit';
export const MAX_CACHE_SERVICES = 100;

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * The fields a client record must satisfy, whatever path (API, CLI, file) they came by. A
 * field that is undefined is not judged: the DTO check of the input already reported it as
 * missing or mistyped (dto/check-dto.ts), so each problem is named once.
 */
export type ClientShape = Partial<CreateClientInput>;

/** Every problem with `client`, as messages an operator can act on; empty when valid. */
export function validateClient(client: ClientShape, allowedScopes: readonly string[]): string[] {
  const problems: string[] = [];
  if (client.id !== undefined && !CLIENT_ID_PATTERN.test(client.id)) {
    problems.push(`client_id must be ${CLIENT_ID_RULE}`);
  }
  const name = client.name;
  if (name !== undefined && (name.trim() === '' || name.length > MAX_NAME_LENGTH)) {
    problems.push(`name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
  if (client.type !== undefined && !CLIENT_TYPES.includes(client.type)) {
    problems.push('type must be confidential or public');
  }
  problems.push(...authProblems(client), ...grantProblems(client));
  problems.push(...redirectUriProblems(client.redirectUris ?? []));
  problems.push(...scopeProblems(client.scopes ?? [], allowedScopes));
  problems.push(...cacheServiceProblems(client.cacheServices ?? []));
  for (const [field, ttl] of [
    ['access_token_ttl_seconds', client.accessTokenTtlSeconds],
    ['refresh_token_ttl_seconds', client.refreshTokenTtlSeconds],
  ] as const) {
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TTL_SECONDS)) {
      problems.push(`${field} must be an integer between 1 and ${MAX_TTL_SECONDS}`);
    }
  }
  return problems;
}

/** RFC 7591 section 2: one token endpoint auth method per client, matching its type. */
function authProblems(client: ClientShape): string[] {
  const method = client.tokenEndpointAuthMethod;
  const problems: string[] = [];
  if (method !== undefined && !TOKEN_ENDPOINT_AUTH_METHODS.includes(method)) {
    problems.push(
      `token_endpoint_auth_method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`,
    );
  } else if (method !== undefined && client.type === 'public' && method !== 'none') {
    problems.push('a public client has no secret: its token_endpoint_auth_method must be none');
  } else if (method === 'none' && client.type === 'confidential') {
    problems.push(
      'a confidential client authenticates with its secret: token_endpoint_auth_method ' +
        'must be client_secret_basic or client_secret_post',
    );
  }
  // RFC 9700 section 2.1.1: a public client's code is protected by PKCE alone.
  if (client.requirePkce === false && (client.type === 'public' || method === 'none')) {
    problems.push(
      'require_pkce must be true for a public client (token_endpoint_auth_method none): ' +
        'PKCE is the only protection of its authorization codes',
    );
  }
  // RFC 7662 section 2.1: the introspection endpoint needs an authenticated caller.
  if (client.resourceServer === true && client.type === 'public') {
    problems.push('a resource server must be a confidential client (introspection needs a secret)');
  }
  return problems;
}

function grantProblems(client: ClientShape): string[] {
  const grants = client.grantTypes;
  if (grants === undefined) return [];
  const problems: string[] = [];
  if (grants.length === 0 && client.resourceServer !== true) {
    problems.push('grant_types may be empty only for a resource server (resource_server: true)');
  }
  const unknown = grants.filter((g) => !GRANT_TYPES.includes(g));
  if (unknown.length > 0) {
    problems.push(
      `grant_types contains unknown grant types: ${unknown.join(' ')} (known: ${GRANT_TYPES.join(' ')})`,
    );
  }
  // RFC 6749 section 4.4: the client credentials grant is for confidential clients only.
  if (client.type === 'public' && grants.includes('client_credentials')) {
    problems.push('public clients may not use the client_credentials grant');
  }
  // RFC 9700 section 2.1: redirect URIs are registered up front and matched exactly.
  if (grants.includes('authorization_code') && (client.redirectUris ?? []).length === 0) {
    problems.push('the authorization_code grant needs at least one redirect URI');
  }
  return problems;
}

function redirectUriProblems(uris: readonly string[]): string[] {
  const problems: string[] = [];
  if (uris.length > MAX_REDIRECT_URIS) {
    problems.push(`at most ${MAX_REDIRECT_URIS} redirect URIs`);
  }
  uris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri);
    if (problem) problems.push(`redirect URI ${JSON.stringify(uri)} ${problem}`);
    else if (uris.indexOf(uri) !== i)
      problems.push(`redirect URI ${JSON.stringify(uri)} is listed twice`);
  });
  return problems;
}

function scopeProblems(scopes: readonly string[], allowedScopes: readonly string[]): string[] {
  const problems: string[] = [];
  if (scopes.length > MAX_SCOPES) problems.push(`at most ${MAX_SCOPES} scopes`);
  const unknownScopes = scopes.filter((s) => !allowedScopes.includes(s));
  if (unknownScopes.length > 0) {
    problems.push(
      `scopes not configured on this server: ${unknownScopes.join(' ')} ` +
        `(allowed: ${allowedScopes.join(' ')})`,
    );
  }
  return problems;
}

function cacheServiceProblems(services: readonly string[]): string[] {
  const problems: string[] = [];
  if (services.length > MAX_CACHE_SERVICES) {
    problems.push(`at most ${MAX_CACHE_SERVICES} cache_services`);
  }
  services.forEach((service, i) => {
    if (!CACHE_SERVICE_PATTERN.test(service)) {
      problems.push(
        `cache_services entry ${JSON.stringify(service)} must be ${CACHE_SERVICE_RULE}`,
      );
    } else if (services.indexOf(service) !== i) {
      problems.push(`cache_services entry ${JSON.stringify(service)} is listed twice`);
    }
  });
  return problems;
}

/**
 * Why `uri` cannot be registered, or null. Redirect URIs are compared exactly (RFC 9700
 * section 2.1; no patterns), so what is stored must be the one spelling a browser sends:
 * the WHATWG URL serialization of the input (`new URL(uri).href === uri`). That also
 * refuses the tricks that make two parsers disagree about the host (backslashes,
 * userinfo, `*` wildcards). RFC 6749 section 3.1.2: absolute, no fragment. RFC 9700
 * section 2.1 / 4.1: https only, except plain http to a loopback host for native apps
 * (RFC 8252 section 7.3), since that traffic never leaves the device.
 */
export function redirectUriProblem(uri: string): string | null {
  if (typeof uri !== 'string') return 'must be a string';
  if (uri.length > MAX_REDIRECT_URI_LENGTH) {
    return `must be at most ${MAX_REDIRECT_URI_LENGTH} characters`;
  }
  if (/\s/.test(uri)) return 'must be a URL without whitespace';
  if (uri.includes('\\')) return 'must not contain a backslash';
  if (uri.includes('*')) return 'must not contain a wildcard (*): redirect URIs match exactly';
  if (uri.includes('#')) return 'must not contain a fragment (RFC 6749 section 3.1.2)';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.username || url.password || /^[^:]+:\/\/[^/?]*@/.test(uri)) {
    return 'must not contain user credentials';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return 'must use https (http is allowed only for loopback hosts, RFC 8252 section 7.3)';
  }
  if (url.href !== uri) {
    return `must be written in its normalized form ${JSON.stringify(url.href)} (it is compared exactly)`;
  }
  return null;
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}
