import { Inject, Injectable } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { IncomingHttpHeaders } from 'node:http';
import type { GrantType, OAuthClient } from '../clients/client.types';
import type { RateLimitCharge } from '../redis/rate-limit';
import { AppConfig } from '../config/app-config';
import { TokensService } from '../tokens/tokens.service';
import { invalidClient, invalidGrant, invalidRequest, invalidScope, OAuthError } from './errors';
import { serverError, unauthorizedClient, unsupportedGrantType } from './errors';
import type { OAuthForm } from './form-body';
import { GrantClient, GrantFailure, GrantServices } from './grants/grant-client';
import { extendedGrantTypes, GrantRegistry } from './grants/registry';
import { RequestModel } from './request-model';

/** Injection token of the grant registry (grants/registry.ts). */
export const GRANT_REGISTRY = Symbol('GRANT_REGISTRY');

/** Library error names passed through with their description; anything else is a server_error. */
const SENTINEL_BY_LIBRARY_NAME: Readonly<Record<string, OAuthError>> = {
  invalid_request: invalidRequest,
  invalid_client: invalidClient,
  invalid_grant: invalidGrant,
  unauthorized_client: unauthorizedClient,
  unsupported_grant_type: unsupportedGrantType,
  invalid_scope: invalidScope,
};

/** Only what the library inspects (content type, body presence); never Authorization. */
const LIBRARY_HEADERS = ['content-type', 'content-length', 'transfer-encoding'] as const;

/**
 * The boundary to @node-oauth/oauth2-server's token handler, through its public API only.
 * The client is authenticated before (ClientAuthenticator, once), so the library gets a
 * request with `client_id` and no secret and a per-request model whose getClient answers
 * that client; it then checks grant_type (missing, malformed, unsupported, not allowed for
 * the client) and runs our grant from the registry. Its errors are translated here, once.
 */
@Injectable()
export class TokenExchange {
  private readonly services: GrantServices;
  private readonly registry: GrantRegistry;
  private readonly grantTypes: Record<string, typeof OAuth2Server.AbstractGrantType>;
  /** Client secrets are verified before the library runs: it must not ask for them again. */
  private readonly noSecretRequired: Record<string, boolean>;

  constructor(
    private readonly config: AppConfig,
    tokens: TokensService,
    @Inject(GRANT_REGISTRY) registry: GrantRegistry,
  ) {
    this.services = { tokens, config };
    this.registry = registry;
    this.grantTypes = extendedGrantTypes(registry);
    this.noSecretRequired = Object.fromEntries(
      Object.keys(this.grantTypes).map((name) => [name, false]),
    );
  }

  /**
   * invalid_request without grant_type, unsupported_grant_type for one not in the registry
   * (RFC 6749 section 5.2). Checked before client authentication, like the library would if
   * it authenticated: it asks for client credentials by grant type.
   */
  checkGrantType(grantType: string | undefined): void {
    if (grantType === undefined) throw invalidRequest.withHint('Missing parameter: `grant_type`');
    if (!this.registry.has(grantType as GrantType)) {
      throw unsupportedGrantType.withHint('Unsupported grant type: `grant_type` is invalid');
    }
  }

  /**
   * Runs the grant named by the form for an authenticated client (after checkGrantType);
   * `rateLimit` is charged by the grant's issuing script.
   */
  async exchange(
    client: OAuthClient,
    headers: IncomingHttpHeaders,
    form: OAuthForm,
    rateLimit?: RateLimitCharge,
  ): Promise<{ token: OAuth2Server.Token; grant: GrantClient }> {
    const grant = new GrantClient(client, this.services, rateLimit);
    const server = new OAuth2Server({
      model: new RequestModel(grant, this.services.tokens),
      accessTokenLifetime: this.config.oauth.accessTokenTtlSeconds,
      refreshTokenLifetime: this.config.oauth.refreshTokenTtlSeconds,
      extendedGrantTypes: this.grantTypes,
      requireClientAuthentication: this.noSecretRequired,
      alwaysIssueNewRefreshToken: true,
      allowExtendedTokenAttributes: false,
    });
    const { client_secret: _secret, ...body } = form;
    const request = new OAuth2Server.Request({
      method: 'POST',
      headers: libraryHeaders(headers),
      query: {},
      body: { ...body, client_id: client.id },
    });
    try {
      return { token: await server.token(request, new OAuth2Server.Response()), grant };
    } catch (err) {
      throw fromLibraryError(err);
    }
  }
}

/** The library's answer to ours: a grant's own failure, a library sentinel, or a bug. */
export function fromLibraryError(err: unknown): OAuthError {
  if (err instanceof GrantFailure) return err.failure;
  if (err instanceof OAuth2Server.OAuthError) {
    const sentinel = SENTINEL_BY_LIBRARY_NAME[err.name];
    if (sentinel) return sentinel.withHint(err.message || sentinel.description).withCause(err);
  }
  return serverError.withCause(err);
}

function libraryHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of LIBRARY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}
