/**
 * Negative integer replies of the Lua scripts become typed errors (BullMQ's convention:
 * scripts return codes, TypeScript owns the messages). Each store owns the codes of its own
 * scripts (tokens: tokens/token.errors.ts; clients: redis-client.store.ts) and maps them
 * with `checkReply`; this file holds only the shared base and the mapping helper.
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

export type ScriptErrorClass = new (script: string, code: number, message: string) => ScriptError;

/** script name -> code -> [error class, message]. Codes are documented in each script's header. */
export type ScriptCodes = Readonly<
  Record<string, Readonly<Record<number, readonly [ScriptErrorClass, string]>>>
>;

/** The typed error for `code` returned by `script`; a plain ScriptError for an unmapped code. */
export function scriptError(script: string, code: number, codes: ScriptCodes = {}): ScriptError {
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
