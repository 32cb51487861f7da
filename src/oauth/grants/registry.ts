import OAuth2Server from '@node-oauth/oauth2-server';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { ClientCredentialsGrant } from './client-credentials.grant';
import type { GrantType } from './grant-model';
import { PasswordGrant } from './password.grant';
import { RefreshTokenGrant } from './refresh-token.grant';

/** A grant handler class as the library instantiates it (`new Type(options).handle(...)`). */
export type GrantHandlerClass = typeof OAuth2Server.AbstractGrantType;

export interface GrantRegistryOptions {
  readonly passwordGrantEnabled: boolean;
}

/**
 * The grant types this server runs, explicitly: the token endpoint rejects anything not in
 * this map with unsupported_grant_type before the library sees it, and the map is handed to
 * the library as `extendedGrantTypes`, which override its built-in handlers.
 */
export function grantRegistry(
  options: GrantRegistryOptions,
): ReadonlyMap<GrantType, GrantHandlerClass> {
  const grants = new Map<GrantType, GrantHandlerClass>([
    ['authorization_code', AuthorizationCodeGrant as unknown as GrantHandlerClass],
    ['client_credentials', ClientCredentialsGrant as unknown as GrantHandlerClass],
    ['refresh_token', RefreshTokenGrant as unknown as GrantHandlerClass],
  ]);
  if (options.passwordGrantEnabled) grants.set('password', PasswordGrant);
  return grants;
}

/**
 * The library's built-in grant types. Each one missing from the registry is pinned to a
 * handler that refuses, so no library default can ever run unreviewed.
 */
const LIBRARY_BUILT_INS: readonly GrantType[] = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'password',
];

class RefusedGrant extends OAuth2Server.AbstractGrantType {
  async handle(): Promise<OAuth2Server.Token> {
    throw new OAuth2Server.UnsupportedGrantTypeError(
      'Unsupported grant type: `grant_type` is invalid',
    );
  }
}

/** The `extendedGrantTypes` option for OAuth2Server built from a registry. */
export function extendedGrantTypes(
  registry: ReadonlyMap<GrantType, GrantHandlerClass>,
): Record<string, GrantHandlerClass> {
  const refused = LIBRARY_BUILT_INS.filter((g) => !registry.has(g)).map(
    (g) => [g, RefusedGrant] as const,
  );
  return { ...Object.fromEntries(refused), ...Object.fromEntries(registry) };
}
