/**
 * The one place where negative integer replies of the Lua scripts become typed errors
 * (BullMQ's convention: scripts return codes, TypeScript owns the messages).
 *
 * The error classes are defined here, not in the feature folders, so that the redis
 * module keeps depending on nothing but config (ARCHITECTURE.md, "Modules"); features
 * re-export the ones they throw (tokens/token.errors.ts). A store whose scripts' codes map
 * straight onto its own domain errors owns that mapping instead (redis-client.store.ts).
 */

/** Base of every script outcome error: carries the script and the code for logs. */
export class ScriptError extends Error {
  constructor(
    readonly script: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Unknown, expired, revoked, or issued to another client (RFC 6749 section 5.2 invalid_grant). */
export class InvalidRefreshTokenError extends ScriptError {}

/**
 * A refresh token that was already rotated was presented again: the whole rotation family
 * and its access tokens have been revoked (RFC 9700 section 4.14.2).
 */
export class RefreshTokenReusedError extends ScriptError {}

/** The requested scope is not a subset of the originally granted one (RFC 6749 section 6). */
export class ScopeExceedsGrantError extends ScriptError {}

/** A key for a freshly generated token or code already exists (256 random bits: never expected). */
export class DuplicateKeyError extends ScriptError {}

type ErrorClass = new (script: string, code: number, message: string) => ScriptError;

/** script name -> code -> [error class, message]. Codes are documented in each script's header. */
const CODES: Record<string, Record<number, readonly [ErrorClass, string]>> = {
  issueTokens: {
    [-1]: [DuplicateKeyError, 'token digest already exists'],
  },
  rotateRefreshToken: {
    [-1]: [InvalidRefreshTokenError, 'refresh token is invalid, expired or revoked'],
    [-2]: [RefreshTokenReusedError, 'refresh token was already used; its token family is revoked'],
    [-3]: [ScopeExceedsGrantError, 'requested scope exceeds the scope originally granted'],
    [-4]: [DuplicateKeyError, 'token digest already exists'],
  },
  saveCode: {
    [-1]: [DuplicateKeyError, 'authorization code digest already exists'],
  },
};

/** The typed error for `code` returned by `script`; a plain ScriptError for an unmapped code. */
export function scriptError(script: string, code: number): ScriptError {
  const entry = CODES[script]?.[code];
  if (!entry)
    return new ScriptError(script, code, `script ${script} returned unknown code ${code}`);
  const [ErrorType, message] = entry;
  return new ErrorType(script, code, message);
}

/** Returns `reply` unchanged unless it is a negative integer, which is thrown as its typed error. */
export function checkScriptReply<T>(script: string, reply: T | number): T {
  if (typeof reply === 'number' && reply < 0) throw scriptError(script, reply);
  return reply as T;
}
