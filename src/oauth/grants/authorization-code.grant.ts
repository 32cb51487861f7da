import OAuth2Server from '@node-oauth/oauth2-server';
import AuthorizationCodeGrantType from '@node-oauth/oauth2-server/lib/grant-types/authorization-code-grant-type';
import type { GrantOptions, TollgateModel } from './grant-model';

/**
 * authorization_code redemption (RFC 6749 section 4.1.3) on the library's handler, which
 * reads the code (our model consumes it atomically, so it is single use even when PKCE or
 * redirect_uri checks fail afterwards), then verifies PKCE and the redirect URI. Changes:
 * - PKCE is mandatory and S256 only (RFC 9700 section 2.1.1, OAuth 2.1);
 * - a redirect_uri mismatch is invalid_grant (RFC 6749 section 5.2), not invalid_request;
 * - tokens are generated and stored by the model in one atomic write; a refresh token only
 *   for clients allowed to use the refresh_token grant.
 */
export class AuthorizationCodeGrant extends AuthorizationCodeGrantType {
  private readonly tollgate: TollgateModel;
  private readonly accessTtlSeconds: number;
  private readonly refreshTtlSeconds: number;

  constructor(options: GrantOptions) {
    super({ ...options, enablePlainPKCE: false });
    this.tollgate = options.model;
    this.accessTtlSeconds = options.accessTokenLifetime;
    this.refreshTtlSeconds = options.refreshTokenLifetime;
  }

  override verifyPKCE(request: OAuth2Server.Request, code: OAuth2Server.AuthorizationCode): void {
    if (!code.codeChallenge || code.codeChallengeMethod !== 'S256') {
      throw new OAuth2Server.InvalidGrantError(
        'Invalid grant: authorization code was issued without S256 PKCE',
      );
    }
    super.verifyPKCE(request, code);
  }

  override validateRedirectUri(
    request: OAuth2Server.Request,
    code: OAuth2Server.AuthorizationCode,
  ): void {
    const redirectUri: unknown = request.body?.redirect_uri;
    if (typeof redirectUri !== 'string' || redirectUri === '') {
      throw new OAuth2Server.InvalidRequestError('Missing parameter: `redirect_uri`');
    }
    // Exact string comparison (RFC 9700 section 4.1.3): no normalisation, no prefixes.
    if (redirectUri !== code.redirectUri) {
      throw new OAuth2Server.InvalidGrantError(
        'Invalid grant: `redirect_uri` does not match the authorization request',
      );
    }
  }

  override async saveToken(
    user: OAuth2Server.User,
    client: OAuth2Server.Client,
    _authorizationCode: string,
    requestedScope: string[] | undefined,
  ): Promise<OAuth2Server.Token> {
    const scope = await this.validateScope(user, client, requestedScope);
    const grants = Array.isArray(client.grants) ? client.grants : [client.grants];
    return this.tollgate.issueTokens({
      grantType: 'authorization_code',
      client,
      user,
      scope: scope || [],
      withRefreshToken: grants.includes('refresh_token'),
      accessTtlSeconds: this.accessTtlSeconds,
      refreshTtlSeconds: this.refreshTtlSeconds,
    });
  }
}
