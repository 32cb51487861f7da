import {
  ClientChangedError,
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
} from '../../tokens/token.errors';
import { toOAuthError } from '../oauth-exception.filter';
import { invalidClient, invalidGrant, invalidScope, OAuthError } from '../errors';

/**
 * The one translation of the token store's domain errors into RFC 6749 section 5.2 errors
 * (each keeps the domain error as its cause, for the logs). Outages and bugs are left to
 * toOAuthError (503 temporarily_unavailable, 500 server_error).
 */
export function toGrantError(err: unknown): OAuthError {
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
