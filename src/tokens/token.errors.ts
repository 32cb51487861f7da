import { checkReply, ScriptCodes, ScriptError } from '../redis/script-errors';

/**
 * Errors of the tokens module, and the one map from its Lua scripts' return codes to them
 * (codes are documented in each script's header). The auth module maps them to RFC 6749
 * section 5.2 `invalid_grant` / `invalid_scope` / `invalid_client`.
 */

/**
 * Unknown, expired, revoked, past its family's absolute end, another client's, or its user
 * was deleted or disabled (invalid_grant).
 */
export class InvalidRefreshTokenError extends ScriptError {}

/**
 * A refresh token that was already rotated was presented again after the grace period: the
 * whole rotation family and its access tokens have been revoked (RFC 9700 section 4.14.2).
 */
export class RefreshTokenReusedError extends ScriptError {}

/**
 * The requested scope is not a subset of the originally granted one (RFC 6749 section 6), or
 * asks for a scope the client is no longer allowed, or nothing granted is still allowed
 * (invalid_scope).
 */
export class ScopeExceedsGrantError extends ScriptError {}

/**
 * The client was deleted or re-created (its stored generation differs from the one the caller
 * authenticated) between authentication and issuance: nothing was issued (invalid_client).
 */
export class ClientChangedError extends ScriptError {}

/** A key for a freshly generated token or code already exists (256 random bits: never expected). */
export class DuplicateKeyError extends ScriptError {}

/** Unknown, expired, or issued to another client (invalid_grant). */
export class InvalidCodeError extends ScriptError {}

/**
 * The code was presented before: redemption refused and every token issued from it revoked
 * (RFC 6749 section 4.1.2).
 */
export class CodeReplayedError extends ScriptError {}

/** redirect_uri differs from the authorization request's (RFC 6749 section 4.1.3). */
export class RedirectUriMismatchError extends ScriptError {}

/** The code_verifier does not match the code_challenge (RFC 7636 section 4.6). */
export class PkceMismatchError extends ScriptError {}

/** The code was issued with a code_challenge but no code_verifier was sent (RFC 7636 section 4.5). */
export class PkceVerifierMissingError extends ScriptError {}

/**
 * A code_verifier was sent for a code issued without a code_challenge: refused, so an attacker
 * who injects a code obtained without PKCE cannot pass it off as a PKCE-bound one (PKCE
 * downgrade, RFC 9700 section 2.1.1 and 4.8.2).
 */
export class UnexpectedVerifierError extends ScriptError {}

/** The code's user was deleted or disabled since the code was issued. */
export class CodeUserInactiveError extends ScriptError {}

const CLIENT_CHANGED = 'the client was deleted or re-created; nothing was issued';

export const TOKEN_SCRIPT_CODES: ScriptCodes = {
  issueTokens: {
    [-1]: [DuplicateKeyError, 'token digest already exists'],
    [-2]: [ClientChangedError, CLIENT_CHANGED],
  },
  rotateRefreshToken: {
    [-1]: [InvalidRefreshTokenError, 'refresh token is invalid, expired or revoked'],
    [-2]: [RefreshTokenReusedError, 'refresh token was already used; its token family is revoked'],
    [-3]: [ScopeExceedsGrantError, 'requested scope exceeds the scope originally granted'],
    [-4]: [DuplicateKeyError, 'token digest already exists'],
    [-5]: [ClientChangedError, CLIENT_CHANGED],
    [-6]: [
      ScopeExceedsGrantError,
      'the client is no longer allowed the requested or granted scope',
    ],
    [-8]: [InvalidRefreshTokenError, 'the user was deleted or disabled; the family is revoked'],
  },
  redeemCode: {
    [-1]: [InvalidCodeError, 'authorization code is invalid, expired or another client’s'],
    [-2]: [CodeReplayedError, 'authorization code was already used; its tokens are revoked'],
    [-3]: [RedirectUriMismatchError, 'redirect_uri does not match the authorization request'],
    [-4]: [PkceMismatchError, 'code verifier does not match the code challenge'],
    [-5]: [CodeUserInactiveError, 'the user was deleted or disabled'],
    [-6]: [ClientChangedError, CLIENT_CHANGED],
    [-8]: [DuplicateKeyError, 'token digest already exists'],
    [-9]: [PkceVerifierMissingError, 'the code has a code_challenge; no code_verifier was sent'],
    [-10]: [UnexpectedVerifierError, 'a code_verifier was sent for a code issued without PKCE'],
  },
  saveCode: {
    [-1]: [DuplicateKeyError, 'authorization code digest already exists'],
  },
};

/** Returns `reply` unless it is a negative code of a token script, thrown as its typed error. */
export function checkTokenReply<T>(script: string, reply: T | number): T {
  return checkReply(TOKEN_SCRIPT_CODES, script, reply);
}
