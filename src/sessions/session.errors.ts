import { checkReply, ScriptCodes, ScriptError } from '../redis/script-errors';

/**
 * Errors of the sessions module, and the one map from its Lua scripts' return codes to them
 * (codes are documented in each script's header).
 */

/** The session to rotate is gone (ended or expired) or is another user's: nothing written. */
export class SessionNotFoundError extends ScriptError {}

/** A freshly generated session id already exists (256 random bits: never expected). */
export class DuplicateSessionError extends ScriptError {}

export const SESSION_SCRIPT_CODES: ScriptCodes = {
  createSession: {
    [-1]: [DuplicateSessionError, 'session digest already exists'],
    [-2]: [SessionNotFoundError, 'the session to rotate is gone or belongs to another user'],
  },
};

/** Returns `reply` unless it is a negative code of a session script, thrown as its typed error. */
export function checkSessionReply<T>(script: string, reply: T | number): T {
  return checkReply(SESSION_SCRIPT_CODES, script, reply);
}
