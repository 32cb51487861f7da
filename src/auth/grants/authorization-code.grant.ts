import OAuth2Server from '@node-oauth/oauth2-server';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthorizationCodeData } from '../../tokens/token.types';
import { invalidGrant } from '../errors';
import { issueTokens } from './issue-tokens';
import { requireParam, runGrant } from './grant-client';
import { codeScope } from './scope-policy';

/** RFC 7636 section 4.1: code_verifier = 43*128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

const INVALID_CODE = invalidGrant.withHint('Invalid grant: authorization code is invalid');

/**
 * authorization_code redemption (RFC 6749 section 4.1.3). Parameters are checked first;
 * then the code is consumed atomically (single use even when a later check fails, RFC 6749
 * section 4.1.2), and must belong to this client, match the redirect URI exactly (RFC 9700
 * section 4.1.3) and pass S256 PKCE (mandatory, RFC 9700 section 2.1.1 / OAuth 2.1).
 * A refresh token is issued only to clients allowed the refresh_token grant.
 */
export class AuthorizationCodeGrant extends OAuth2Server.AbstractGrantType {
  handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token> {
    return runGrant(client, async (grant) => {
      const code = requireParam(request, 'code');
      const redirectUri = requireParam(request, 'redirect_uri');
      const verifier = requireParam(request, 'code_verifier');
      if (!CODE_VERIFIER.test(verifier)) {
        throw new OAuth2Server.InvalidRequestError('Invalid parameter: `code_verifier`');
      }
      const data = await grant.services.tokens.consumeAuthorizationCode(code);
      if (!data || data.clientId !== grant.client.id || data.expiresAt * 1000 <= Date.now()) {
        throw INVALID_CODE;
      }
      if (redirectUri !== data.redirectUri) {
        throw invalidGrant.withHint(
          'Invalid grant: `redirect_uri` does not match the authorization request',
        );
      }
      verifyPkce(verifier, data);
      return issueTokens(grant, {
        grantType: 'authorization_code',
        scope: codeScope(data.scope, grant.client.scopes),
        userId: data.userId,
        withRefreshToken: grant.client.grantTypes.includes('refresh_token'),
      });
    });
  }
}

/** RFC 7636 section 4.6: BASE64URL(SHA256(code_verifier)) == code_challenge, S256 only. */
function verifyPkce(verifier: string, data: AuthorizationCodeData): void {
  if (!data.codeChallenge || data.codeChallengeMethod !== 'S256') {
    throw invalidGrant.withHint('Invalid grant: authorization code was issued without S256 PKCE');
  }
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(data.codeChallenge);
  if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) {
    throw invalidGrant.withHint('Invalid grant: code verifier is invalid');
  }
}
