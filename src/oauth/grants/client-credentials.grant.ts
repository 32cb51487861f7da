import OAuth2Server from '@node-oauth/oauth2-server';
import ClientCredentialsGrantType from '@node-oauth/oauth2-server/lib/grant-types/client-credentials-grant-type';
import type { GrantOptions, TollgateModel } from './grant-model';

/**
 * client_credentials (RFC 6749 section 4.4). The library's handler parses and validates the
 * scope; only the final step differs: the token values are generated and stored by the
 * model in one atomic write, and no refresh token is issued (RFC 6749 section 4.4.3).
 */
export class ClientCredentialsGrant extends ClientCredentialsGrantType {
  private readonly tollgate: TollgateModel;
  private readonly accessTtlSeconds: number;
  private readonly refreshTtlSeconds: number;

  constructor(options: GrantOptions) {
    super(options);
    this.tollgate = options.model;
    this.accessTtlSeconds = options.accessTokenLifetime;
    this.refreshTtlSeconds = options.refreshTokenLifetime;
  }

  override async saveToken(
    user: OAuth2Server.User,
    client: OAuth2Server.Client,
    requestedScope: string[] | undefined,
  ): Promise<OAuth2Server.Token> {
    const scope = await this.validateScope(user, client, requestedScope);
    return this.tollgate.issueTokens({
      grantType: 'client_credentials',
      client,
      user,
      scope: scope || [],
      withRefreshToken: false,
      accessTtlSeconds: this.accessTtlSeconds,
      refreshTtlSeconds: this.refreshTtlSeconds,
    });
  }
}
