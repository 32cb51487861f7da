import OAuth2Server from '@node-oauth/oauth2-server';
import { toLibraryToken } from './issue-tokens';
import { requireParam, runGrant } from './grant-client';

/**
 * refresh_token (RFC 6749 section 6) with rotation and reuse detection (RFC 9700 section
 * 4.14.2): ONE atomic rotation in TokensService, which also re-checks the client as it is
 * now (its current scopes narrow the result). The library has already checked that the
 * client may still use this grant (unauthorized_client otherwise).
 */
export class RefreshTokenGrant extends OAuth2Server.AbstractGrantType {
  handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token> {
    return runGrant(client, async (grant) => {
      const refreshToken = requireParam(request, 'refresh_token');
      const issued = await grant.services.tokens.rotateRefreshToken(refreshToken, grant.client, {
        accessTtlSeconds: grant.accessTokenLifetime,
        refreshTtlSeconds: grant.refreshTokenLifetime,
        // The library's parser: undefined when absent, invalid_scope when malformed.
        scope: this.getScope(request),
        rateLimit: grant.rateLimit,
      });
      return toLibraryToken(issued, grant, undefined);
    });
  }
}
