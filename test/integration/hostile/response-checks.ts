/**
 * What every answer to a hostile request must look like: a status below 500, no internals in
 * the body, and (from the OAuth endpoints) an RFC 6749 section 5.2 error object.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RawResponse } from './raw-request';

/** Lua script names (`redeemCode-8.lua` -> `redeemCode`): they only appear in Redis errors. */
const SCRIPT_NAMES = readdirSync(join(__dirname, '../../../src/redis/scripts'))
  .filter((f) => f.endsWith('.lua'))
  .map((f) => f.replace(/-\d+\.lua$/, ''));

/**
 * Internals an answer (body or headers) must never carry; generated request values avoid
 * every one of them, so an echo of the request cannot pass for a leak.
 */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [\w$.<>[\] ]+ \(/, // stack frame `at fn (file:line)`
  /\bat (?:async )?\/?[\w.-]+\/[\w./-]+:\d+/, // stack frame without a function name
  /\/src\/|\/dist\/|node_modules|\.ts:\d+|\.js:\d+/,
  /\b(?:Type|Reference|Range|Syntax|Eval|URI|Reply|Abort|Aggregate)Error\b/,
  /\bERR |WRONGTYPE|NOSCRIPT|BUSY |READONLY|MOVED |CLUSTERDOWN|OOM command/,
  /ioredis|redis-server|@user_script|user_script:\d+|\.lua\b/i,
  /\bcannot read propert|is not a function|undefined is not|Maximum call stack/i,
  /\bFST_[A-Z_]+|\bERR_[A-Z_]+|\bHPE_[A-Z_]+/,
  new RegExp(`\\b(?:${SCRIPT_NAMES.join('|')})\\b`),
];

/** The leak patterns a string (a generated value) would trip; generated values must trip none. */
export function tripsLeakPattern(text: string): boolean {
  return LEAK_PATTERNS.some((p) => p.test(text));
}

/** RFC 6749 section 5.2, RFC 7009 section 2.2.1, plus the shared filter's routing codes. */
export const OAUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
  'temporarily_unavailable',
  // Answered before the OAuth controller is reached: no route (path variants), wrong method.
  'not_found',
  'method_not_allowed',
]);

/** Problems with one answer, as readable lines; empty when it is acceptable. */
export function answerProblems(res: RawResponse, opts: { oauthJson?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (res.status === 0) problems.push('no HTTP answer (connection closed without a status line)');
  if (res.status >= 500) problems.push(`status ${res.status}`);
  const headers = Object.entries(res.headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
  for (const pattern of LEAK_PATTERNS) {
    const hit = pattern.exec(res.body) ?? pattern.exec(headers);
    if (hit) problems.push(`answer leaks ${JSON.stringify(hit[0])} (${pattern})`);
  }
  if (opts.oauthJson && res.status >= 400) problems.push(...oauthShapeProblems(res));
  return problems;
}

function oauthShapeProblems(res: RawResponse): string[] {
  if (!/^application\/json/.test(res.headers['content-type'] ?? '')) {
    return [`error answer is ${res.headers['content-type'] ?? 'untyped'}, not JSON`];
  }
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return ['error answer is not valid JSON'];
  }
  const { error, error_description: description } = (body ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof error !== 'string' || !OAUTH_ERROR_CODES.has(error)) {
    problems.push(`error code ${JSON.stringify(error)} is not an RFC 6749 code`);
  }
  if (description !== undefined && typeof description !== 'string') {
    problems.push('error_description is not a string');
  }
  if (res.headers['cache-control'] !== 'no-store') problems.push('error without no-store');
  return problems;
}
