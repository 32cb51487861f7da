import {
  ClientChangedError,
  CodeReplayedError,
  CodeUserInactiveError,
  InvalidCodeError,
  InvalidRefreshTokenError,
  PkceMismatchError,
  PkceVerifierMissingError,
  RedirectUriMismatchError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
  UnexpectedVerifierError,
} from '../../tokens/token.errors';
import { toOAuthError } from '../oauth-exception.filter';
import { invalidClient, invalidGrant, invalidScope, OAuthError } from '../errors';

/**
 * The one translation of the token store's domain errors into RFC 6749 section 5.2 errors
 * (each keeps the domain error as its cause, for the logs). Outages and bugs are left to
 * toOAuthError (503 temporarily_unavailable, 500 server_error).
 */
export function toGrantError(err: unknown): OAuthError {
  const code = codeError(err);
  if (code) return code;
  if (err instanceof RefreshTokenReusedError) {
    // RFC 9700 section 4.14.2: the family is revoked; the client must start over.
    return invalidGrant
      .withHint('Invalid grant: refresh token was already used; the grant has been revoked')
      .withCause(err);
  }
  if (err instanceof InvalidRefreshTokenError) {
    return invalidGrant.withHint('Invalid grant: refresh token is invalid').withCause(err);
  }
  if (err instanceof ScopeExceedsGrantError) {
    return invalidScope
      .withHint('Invalid scope: requested scope exceeds the original grant')
      .withCause(err);
  }
  if (err instanceof ClientChangedError) {
    // Deleted or re-created since this instance cached it (at most CLIENT_CACHE_TTL_MS ago).
    return invalidClient.withHint('Invalid client: client authentication failed').withCause(err);
  }
  return toOAuthError(err);
}

/** RFC 6749 section 5.2 invalid_grant for the outcomes of a code redemption. */
function codeError(err: unknown): OAuthError | undefined {
  const hint = (description: string) => invalidGrant.withHint(description).withCause(err);
  if (err instanceof InvalidCodeError || err instanceof CodeUserInactiveError) {
    // A disabled or deleted user is not named: the client learns only that the code is dead.
    return hint('Invalid grant: authorization code is invalid');
  }
  if (err instanceof CodeReplayedError) {
    // RFC 6749 section 4.1.2: denied, and every token issued from the code revoked.
    return hint('Invalid grant: authorization code was already used; its tokens are revoked');
  }
  if (err instanceof RedirectUriMismatchError) {
    return hint('Invalid grant: `redirect_uri` does not match the authorization request');
  }
  if (err instanceof PkceMismatchError) return hint('Invalid grant: code verifier is invalid');
  if (err instanceof PkceVerifierMissingError) {
    return hint(
      'Invalid grant: the authorization request had a code_challenge; send its code_verifier',
    );
  }
  if (err instanceof UnexpectedVerifierError) {
    // RFC 9700 section 2.1.1: a verifier for a code issued without a challenge is a downgrade.
    return hint(
      'Invalid grant: code_verifier sent, but the authorization request had no code_challenge',
    );
  }
  return undefined;
}
