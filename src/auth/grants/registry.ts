import OAuth2Server from '@node-oauth/oauth2-server';
import type { GrantType } from '../../clients/client.types';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { PasswordGrant } from './password.grant';
import { RefreshTokenGrant } from './refresh-token.grant';

/** A grant handler class as the library instantiates it (`new Type(options).handle(...)`). */
export type GrantHandlerClass = typeof OAuth2Server.AbstractGrantType;

export type GrantRegistry = ReadonlyMap<GrantType, GrantHandlerClass>;

export interface GrantRegistryOptions {
  readonly passwordGrantEnabled: boolean;
}

/** The grant types this server runs, explicitly (STYLE.md: a Map, no switch). */
export function grantRegistry(options: GrantRegistryOptions): GrantRegistry {
  const grants = new Map<GrantType, GrantHandlerClass>([
    ['authorization_code', AuthorizationCodeGrant],
    ['client_credentials', ClientCredentialsGrant],
    ['refresh_token', RefreshTokenGrant],
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

/**
 * The `extendedGrantTypes` option for OAuth2Server built from a registry: extended grant
 * types override the library's built-in handlers of the same name.
 */
export function extendedGrantTypes(registry: GrantRegistry): Record<string, GrantHandlerClass> {
  const refused = LIBRARY_BUILT_INS.filter((g) => !registry.has(g)).map(
    (g) => [g, RefusedGrant] as const,
  );
  return { ...Object.fromEntries(refused), ...Object.fromEntries(registry) };
}
