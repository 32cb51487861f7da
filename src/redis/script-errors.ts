/**
 * Negative integer replies of the Lua scripts become typed errors (BullMQ's convention:
 * scripts return codes, TypeScript owns the messages). Each store owns the codes of its own
 * scripts (tokens: tokens/token.errors.ts) and maps them with `checkReply`; the map below
 * holds the client registry's codes, whose error classes live here so that the redis module
 * keeps depending on nothing but config (ARCHITECTURE.md, "Modules").
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

/** saveClient (create): the client id is already registered. */
export class ClientIdTakenError extends ScriptError {}

/** saveClient (update), rotateClientSecret: no client record under that id. */
export class ClientRecordMissingError extends ScriptError {}

/** rotateClientSecret: public clients have no secret to rotate (RFC 6749 section 2.1). */
export class PublicClientSecretError extends ScriptError {}

export type ScriptErrorClass = new (script: string, code: number, message: string) => ScriptError;

/** script name -> code -> [error class, message]. Codes are documented in each script's header. */
export type ScriptCodes = Readonly<
  Record<string, Readonly<Record<number, readonly [ScriptErrorClass, string]>>>
>;

const CODES: ScriptCodes = {
  saveClient: {
    [-1]: [ClientIdTakenError, 'client id already exists'],
    [-2]: [ClientRecordMissingError, 'client not found'],
  },
  rotateClientSecret: {
    [-2]: [ClientRecordMissingError, 'client not found'],
    [-3]: [PublicClientSecretError, 'public clients have no secret'],
  },
};

/** The typed error for `code` returned by `script`; a plain ScriptError for an unmapped code. */
export function scriptError(script: string, code: number, codes: ScriptCodes = CODES): ScriptError {
  const entry = codes[script]?.[code];
  if (!entry)
    return new ScriptError(script, code, `script ${script} returned unknown code ${code}`);
  const [ErrorType, message] = entry;
  return new ErrorType(script, code, message);
}

/**
 * Returns `reply` unchanged unless it is a negative integer, which is thrown as its typed
 * error from `codes`.
 */
export function checkReply<T>(codes: ScriptCodes, script: string, reply: T | number): T {
  if (typeof reply === 'number' && reply < 0) throw scriptError(script, reply, codes);
  return reply as T;
}

/** checkReply with the client registry's codes. */
export function checkScriptReply<T>(script: string, reply: T | number): T {
  return checkReply(CODES, script, reply);
}
