/**
 * OAUTH_SCOPE_DESCRIPTIONS: what each scope means, in words a person deciding on the consent
 * page understands. A JSON object, one line in an env var or a Kubernetes value, e.g.
 * `{"openid":"Sign you in","cache:read":"Read your cached data"}`. JSON rather than a
 * home-made `scope=text;...` list, so a description may hold any character (`;`, `=`, quotes)
 * without an escaping rule of our own. Checked once at start-up like every setting.
 */

/** Long enough for a sentence, short enough to keep the consent page readable. */
export const MAX_SCOPE_DESCRIPTION_LENGTH = 200;

const VAR = 'OAUTH_SCOPE_DESCRIPTIONS';
/** Printable text: no control characters (line breaks included). */
const PRINTABLE = /^[^\p{Cc}]+$/u;

export interface ScopeDescriptions {
  readonly problems: string[];
  /** A Map, not an object: a scope named `constructor` or `__proto__` is just a key. */
  readonly descriptions: ReadonlyMap<string, string>;
}

/**
 * Parses and checks the variable; unset gives no descriptions. Every key must be a scope of
 * OAUTH_SCOPES (a description of an unknown scope is a typo that would silently never show).
 */
export function readScopeDescriptions(
  raw: string | undefined,
  scopes: readonly string[],
): ScopeDescriptions {
  const descriptions = new Map<string, string>();
  if (raw === undefined) return { problems: [], descriptions };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {
      problems: [`${VAR}: must be a JSON object {"scope": "description", ...}`],
      descriptions,
    };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      problems: [`${VAR}: must be a JSON object {"scope": "description", ...}`],
      descriptions,
    };
  }
  const problems: string[] = [];
  for (const [scope, text] of Object.entries(parsed)) {
    const problem = describeProblem(scope, text, scopes);
    if (problem) problems.push(`${VAR}: ${problem}`);
    else descriptions.set(scope, (text as string).trim());
  }
  return { problems, descriptions };
}

function describeProblem(scope: string, text: unknown, scopes: readonly string[]): string | null {
  const name = JSON.stringify(scope.slice(0, 64));
  if (!scopes.includes(scope)) return `${name} is not a scope of OAUTH_SCOPES`;
  if (typeof text !== 'string' || text.trim() === '') {
    return `the description of ${name} must be a non-empty string`;
  }
  if (text.length > MAX_SCOPE_DESCRIPTION_LENGTH || !PRINTABLE.test(text)) {
    return (
      `the description of ${name} must be at most ${MAX_SCOPE_DESCRIPTION_LENGTH} ` +
      'printable characters on one line'
    );
  }
  return null;
}
