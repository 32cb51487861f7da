import type { ClientWithSecret, OAuthClient } from '../clients/client.types';

/**
 * A client as the admin API and the CLI print it: snake_case like RFC 7591 client
 * metadata, so `client_id` / `client_secret` read the same as on the token endpoint.
 */
export interface ClientView {
  readonly client_id: string;
  readonly name: string;
  readonly type: OAuthClient['type'];
  readonly token_endpoint_auth_method: OAuthClient['tokenEndpointAuthMethod'];
  readonly resource_server: boolean;
  readonly require_pkce: boolean;
  readonly redirect_uris: readonly string[];
  readonly grant_types: readonly string[];
  readonly scopes: readonly string[];
  readonly cache_services: readonly string[];
  readonly access_token_ttl_seconds?: number;
  readonly refresh_token_ttl_seconds?: number;
  readonly created_at: string;
  readonly updated_at: string;
  /** Only in create and rotate answers: the one time the plaintext leaves the server. */
  readonly client_secret?: string;
}

export function presentClient(client: OAuthClient): ClientView {
  return {
    client_id: client.id,
    name: client.name,
    type: client.type,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    resource_server: client.resourceServer,
    require_pkce: client.requirePkce,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    scopes: client.scopes,
    cache_services: client.cacheServices,
    access_token_ttl_seconds: client.accessTokenTtlSeconds,
    refresh_token_ttl_seconds: client.refreshTokenTtlSeconds,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}

export function presentClientWithSecret(result: ClientWithSecret): ClientView {
  return { ...presentClient(result.client), client_secret: result.clientSecret };
}
