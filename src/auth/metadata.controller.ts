import { Controller, Get, Inject } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { GrantType } from '../clients/client.types';
import type { GrantRegistry } from './grants/registry';
import { NoStore } from './oauth-exception.filter';
import { GRANT_REGISTRY } from './token-exchange';

/** RFC 8414 section 2 authorization server metadata. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint: string;
  readonly introspection_endpoint: string;
  readonly revocation_endpoint: string;
  readonly grant_types_supported: readonly GrantType[];
  readonly response_types_supported: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly introspection_endpoint_auth_methods_supported: readonly string[];
  readonly revocation_endpoint_auth_methods_supported: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly authorization_response_iss_parameter_supported?: boolean;
}

/**
 * Whether /oauth2/authorize is served (src/auth/authorize). When false neither the endpoint
 * nor the authorization_code grant is advertised (RFC 8414: the metadata describes what the
 * server does).
 */
const AUTHORIZE_ENDPOINT_SERVED = true;

/**
 * Builds the metadata document from config and the grant registry. The password grant is
 * left out even when enabled: without a user store it cannot succeed.
 */
export function buildMetadata(
  config: AppConfig,
  registry: GrantRegistry,
): AuthorizationServerMetadata {
  const issuer = config.oauth.issuer;
  const unusable = new Set<GrantType>(['password']);
  if (!AUTHORIZE_ENDPOINT_SERVED) unusable.add('authorization_code');
  return {
    issuer,
    ...(AUTHORIZE_ENDPOINT_SERVED ? { authorization_endpoint: `${issuer}/oauth2/authorize` } : {}),
    token_endpoint: `${issuer}/oauth2/token`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    grant_types_supported: [...registry.keys()].filter((g) => !unusable.has(g)),
    // REQUIRED by RFC 8414 section 2; empty while no response type is served.
    response_types_supported: AUTHORIZE_ENDPOINT_SERVED ? ['code'] : [],
    scopes_supported: [...config.oauth.scopes],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    // RFC 7662 section 2.1: introspection requires an authenticated (confidential) client.
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    // RFC 7009 section 5: public clients may revoke their own tokens.
    revocation_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'none',
    ],
    // RFC 9700 section 2.1.1: plain offers no protection against a leaked code.
    ...(AUTHORIZE_ENDPOINT_SERVED
      ? {
          code_challenge_methods_supported: ['S256'],
          // RFC 9207 section 3: every authorization response carries `iss`.
          authorization_response_iss_parameter_supported: true,
        }
      : {}),
  };
}

@Controller('.well-known')
export class MetadataController {
  private readonly metadata: AuthorizationServerMetadata;

  constructor(config: AppConfig, @Inject(GRANT_REGISTRY) registry: GrantRegistry) {
    this.metadata = buildMetadata(config, registry);
  }

  /** Static, but no-store like every OAuth endpoint answer, so a config change shows at once. */
  @Get('oauth-authorization-server')
  @NoStore()
  metadataDocument(): AuthorizationServerMetadata {
    return this.metadata;
  }
}
