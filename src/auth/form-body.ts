/**
 * Request-body rules shared by the OAuth endpoints (RFC 6749 sections 3.1, 3.2, 4.1.3;
 * RFC 7009 section 2.1; RFC 7662 section 2.1): the body is
 * application/x-www-form-urlencoded, no parameter appears twice, values are bounded, and
 * empty parameters count as absent.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidRequest, OAuthError } from './errors';
import { writeOAuthError } from './oauth-exception.filter';

/** Longest parameter name or value accepted (redirect URIs are the longest legitimate ones). */
export const MAX_FIELD_LENGTH = 4096;
/** More parameters than any OAuth request needs means abuse or a broken client. */
export const MAX_FIELDS = 32;

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Parsed OAuth parameters: single string values, no empties, no prototype. */
export type OAuthForm = Readonly<Record<string, string>>;

/** True for `application/x-www-form-urlencoded`, with or without parameters (charset). */
export function isFormContentType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return mediaType === FORM_CONTENT_TYPE;
}

/**
 * Validates the body Fastify parsed (@fastify/formbody turns a repeated parameter into an
 * array) and returns it as an OAuthForm, or throws invalid_request naming the problem.
 */
export function parseOAuthForm(contentType: string | undefined, body: unknown): OAuthForm {
  if (!isFormContentType(contentType)) {
    throw invalidRequest.withHint(
      'Invalid request: content must be application/x-www-form-urlencoded',
    );
  }
  if (body === undefined || body === null) return Object.freeze(Object.create(null) as OAuthForm);
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest.withHint('Invalid request: malformed form body');
  }
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length > MAX_FIELDS)
    throw invalidRequest.withHint('Invalid request: too many parameters');
  const form = Object.create(null) as Record<string, string>;
  for (const [name, value] of entries) {
    const checked = checkField(name, value);
    // RFC 6749 section 3.1: parameters sent without a value are treated as omitted.
    if (checked !== '') form[name] = checked;
  }
  return Object.freeze(form);
}

function checkField(name: string, value: unknown): string {
  if (name.length > MAX_FIELD_LENGTH)
    throw invalidRequest.withHint('Invalid request: parameter name too long');
  if (Array.isArray(value)) {
    // RFC 6749 section 3.2: request and response parameters MUST NOT be included more than once.
    throw invalidRequest.withHint(
      `Invalid request: parameter \`${printable(name)}\` is included more than once`,
    );
  }
  if (typeof value !== 'string') {
    throw invalidRequest.withHint(`Invalid request: malformed parameter \`${printable(name)}\``);
  }
  if (value.length > MAX_FIELD_LENGTH) {
    throw invalidRequest.withHint(
      `Invalid request: parameter \`${printable(name)}\` exceeds ${MAX_FIELD_LENGTH} characters`,
    );
  }
  return value;
}

/** Parameter names are echoed in descriptions: keep them short and printable. */
function printable(name: string): string {
  return name.replace(/[^\x20-\x7E]/g, '?').slice(0, 64);
}

/** Reads and validates the body of an OAuth endpoint request. */
export function readOAuthForm(request: FastifyRequest): OAuthForm {
  return parseOAuthForm(request.headers['content-type'], request.body);
}

/**
 * Fastify rejects an unknown content type (415), malformed JSON (400) or an over-long body
 * (413) before any Nest filter runs, with a non-OAuth body. For the given POST paths this
 * hook answers those requests first, as invalid_request (RFC 6749 section 5.2). It runs on
 * every request, so it is synchronous (no promise per request) and matches the route
 * template, not the raw URL.
 */
export function installOAuthFormGuard(fastify: FastifyInstance, paths: readonly string[]): void {
  const guarded = new Set(paths);
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    const route = request.routeOptions.url;
    const problem =
      request.method === 'POST' && route !== undefined && guarded.has(route)
        ? preParseProblem(request)
        : undefined;
    // Answered here: Fastify skips the rest of the request when done is never called.
    if (problem) writeOAuthError(reply, problem);
    else done(null, payload);
  });
}

function preParseProblem(request: FastifyRequest): OAuthError | undefined {
  if (!isFormContentType(request.headers['content-type'])) {
    return invalidRequest.withHint(
      'Invalid request: content must be application/x-www-form-urlencoded',
    );
  }
  const length = Number(request.headers['content-length'] ?? 0);
  const limit = request.routeOptions.bodyLimit;
  if (limit !== undefined && length > limit) {
    return invalidRequest.withHint(`Invalid request: body exceeds ${limit} bytes`);
  }
  return undefined;
}
