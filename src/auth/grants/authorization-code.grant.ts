import OAuth2Server from '@node-oauth/oauth2-server';
import { optionalParam, requireParam, runGrant } from './grant-client';
import { toLibraryToken } from './issue-tokens';

/** RFC 7636 section 4.1: code_verifier = 43*128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * authorization_code redemption (RFC 6749 section 4.1.3). Parameters are checked first;
 * then ONE atomic store call spends the code (single use even when a later check fails,
 * RFC 6749 section 4.1.2), checks that it belongs to this client, matches the redirect URI
 * exactly (RFC 9700 section 4.1.3), passes S256 PKCE (RFC 9700 section 2.1.1: a code with a
 * challenge needs its verifier; a code issued without one, to a client with require_pkce=false,
 * refuses any verifier) and that its user is still active, and issues the tokens. A second presentation revokes
 * every token the code gave (RFC 6749 section 4.1.2). A refresh token is issued only to
 * clients allowed the refresh_token grant.
 */
export class AuthorizationCodeGrant extends OAuth2Server.AbstractGrantType {
  handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token> {
    return runGrant(client, async (grant) => {
      const code = requireParam(request, 'code');
      const redirectUri = requireParam(request, 'redirect_uri');
      const verifier = codeVerifier(request, grant.client.requirePkce);
      if (verifier !== undefined && !CODE_VERIFIER.test(verifier)) {
        throw new OAuth2Server.InvalidRequestError('Invalid parameter: `code_verifier`');
      }
      const withRefresh = grant.client.grantTypes.includes('refresh_token');
      const redeemed = await grant.services.tokens.redeemAuthorizationCode(code, {
        client: grant.client,
        redirectUri,
        codeVerifier: verifier,
        accessTtlSeconds: grant.accessTokenLifetime,
        refreshTtlSeconds: withRefresh ? grant.refreshTokenLifetime : 0,
        rateLimit: grant.rateLimit,
      });
      return toLibraryToken(redeemed, grant, redeemed.userId);
    });
  }
}

/**
 * Required from a client that must use PKCE (invalid_request, the code is not spent). From a
 * client exempt from it, optional: whether this code needs one is known only to the code
 * record, which redeemCode-8.lua checks atomically with the redemption.
 */
function codeVerifier(request: OAuth2Server.Request, requirePkce: boolean): string | undefined {
  return requirePkce
    ? requireParam(request, 'code_verifier')
    : optionalParam(request, 'code_verifier');
}
