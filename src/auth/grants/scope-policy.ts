import OAuth2Server from '@node-oauth/oauth2-server';

/**
 * Scopes never granted by default, only when asked for by name: a client allowed to
 * administer the server gets that power in a token only on purpose.
 */
export const EXPLICIT_ONLY_SCOPES: ReadonlySet<string> = new Set(['admin']);

/**
 * client_credentials (RFC 6749 sections 3.3 and 4.4.2): a requested scope must be a subset
 * of the client's scopes (invalid_scope otherwise); with none requested the client gets its
 * scopes except the explicit-only ones. This default applies to client_credentials only:
 * codes carry the scope the user consented to, refreshes the scope of their grant.
 */
export function clientCredentialsScope(
  requested: readonly string[] | undefined,
  allowed: readonly string[],
): string[] {
  if (!requested || requested.length === 0) return defaultScope(allowed);
  const unique = [...new Set(requested)];
  if (!unique.every((scope) => allowed.includes(scope))) {
    throw new OAuth2Server.InvalidScopeError('Invalid scope: Requested scope is invalid');
  }
  return unique;
}

/**
 * The scope granted when none is asked for (client_credentials, and an authorization request
 * without `scope`, RFC 6749 section 3.3): the client's scopes except the explicit-only ones.
 */
export function defaultScope(allowed: readonly string[]): string[] {
  return allowed.filter((scope) => !EXPLICIT_ONLY_SCOPES.has(scope));
}
