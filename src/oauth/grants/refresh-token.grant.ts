import OAuth2Server from '@node-oauth/oauth2-server';
import type { GrantOptions, TollgateModel } from './grant-model';

/** RFC 6749 Appendix A: refresh-token = 1*VSCHAR. */
const VSCHAR = /^[\x20-\x7E]+$/;

/**
 * refresh_token (RFC 6749 section 6) with rotation and reuse detection (RFC 9700 section
 * 4.14.2). Replaces the library's getRefreshToken -> revokeToken -> saveToken sequence,
 * which is three round trips and racy (two concurrent refreshes could both succeed), with
 * ONE atomic rotation in the model. Scope narrowing is checked there against the original
 * grant (ScopeExceedsGrantError -> invalid_scope).
 */
export class RefreshTokenGrant extends OAuth2Server.AbstractGrantType {
  private readonly tollgate: TollgateModel;
  private readonly accessTtlSeconds: number;
  private readonly refreshTtlSeconds: number;

  constructor(options: GrantOptions) {
    super(options);
    this.tollgate = options.model;
    this.accessTtlSeconds = options.accessTokenLifetime;
    this.refreshTtlSeconds = options.refreshTokenLifetime;
  }

  async handle(
    request: OAuth2Server.Request,
    client: OAuth2Server.Client,
  ): Promise<OAuth2Server.Token> {
    const refreshToken: unknown = request.body?.refresh_token;
    if (typeof refreshToken !== 'string' || refreshToken === '') {
      throw new OAuth2Server.InvalidRequestError('Missing parameter: `refresh_token`');
    }
    if (!VSCHAR.test(refreshToken)) {
      throw new OAuth2Server.InvalidRequestError('Invalid parameter: `refresh_token`');
    }
    return this.tollgate.rotateRefreshToken({
      refreshToken,
      client,
      // The library's parser: undefined when absent, invalid_scope when malformed.
      scope: this.getScope(request),
      accessTtlSeconds: this.accessTtlSeconds,
      refreshTtlSeconds: this.refreshTtlSeconds,
    });
  }
}
