import { Controller, Get, Inject } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { GrantType } from '../oauth/grants/grant-model';
import { NoStore } from '../oauth/oauth-exception.filter';
import { GRANT_REGISTRY, GrantRegistry } from './oauth2-server.factory';

/** RFC 8414 section 2 authorization server metadata. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly introspection_endpoint: string;
  readonly revocation_endpoint: string;
  readonly grant_types_supported: readonly GrantType[];
  readonly response_types_supported: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly introspection_endpoint_auth_methods_supported: readonly string[];
  readonly revocation_endpoint_auth_methods_supported: readonly string[];
  readonly code_challenge_methods_supported: readonly string[];
}

/**
 * Builds the metadata document from config and the grant registry. The password grant is
 * left out even when enabled: without a user store it cannot succeed.
 */
export function buildMetadata(
  config: AppConfig,
  registry: GrantRegistry,
): AuthorizationServerMetadata {
  const issuer = config.oauth.issuer;
  return {
    issuer,
    // Served by a later issue; advertised now so clients can be configured once.
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    grant_types_supported: [...registry.keys()].filter((g) => g !== 'password'),
    response_types_supported: ['code'],
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
    code_challenge_methods_supported: ['S256'],
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
