/**
 * The one OAuth error type (RFC 6749 section 5.2, RFC 7009 section 2.2.1), shaped after
 * fosite's RFC6749Error: immutable sentinels carry the RFC code, a default description and
 * the HTTP status; `.withHint()` / `.withHeaders()` return copies, so a sentinel is never
 * mutated by a request.
 */
import OAuth2Server from '@node-oauth/oauth2-server';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'unsupported_token_type';

/** The JSON body of an error response (RFC 6749 section 5.2). */
export interface OAuthErrorBody {
  readonly error: OAuthErrorCode;
  readonly error_description: string;
}

/**
 * RFC 6749 section 5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, i.e.
 * printable ASCII without `"` and `\`; anything else is replaced so the body stays valid.
 */
const NOT_NQSCHAR = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: number,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  /** A copy whose error_description is `hint` (what exactly was wrong with this request). */
  withHint(hint: string): OAuthError {
    return new OAuthError(this.error, hint, this.status, this.headers);
  }

  /** A copy with extra response headers (e.g. WWW-Authenticate, Retry-After). */
  withHeaders(headers: Readonly<Record<string, string>>): OAuthError {
    return new OAuthError(this.error, this.description, this.status, {
      ...this.headers,
      ...headers,
    });
  }

  /** A copy with another HTTP status (invalid_client is 401 when Basic was attempted). */
  withStatus(status: number): OAuthError {
    return new OAuthError(this.error, this.description, status, this.headers);
  }

  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description.replace(NOT_NQSCHAR, "'") };
  }
}

export const invalidRequest = new OAuthError(
  'invalid_request',
  'The request is missing a required parameter, includes an unsupported parameter value, repeats a parameter, or is otherwise malformed',
  400,
);
export const invalidClient = new OAuthError('invalid_client', 'Client authentication failed', 400);
export const invalidGrant = new OAuthError(
  'invalid_grant',
  'The authorization grant or refresh token is invalid, expired, revoked, or was issued to another client',
  400,
);
export const unauthorizedClient = new OAuthError(
  'unauthorized_client',
  'The client is not authorized to use this grant type',
  400,
);
export const unsupportedGrantType = new OAuthError(
  'unsupported_grant_type',
  'The grant type is not supported by this authorization server',
  400,
);
export const invalidScope = new OAuthError(
  'invalid_scope',
  'The requested scope is invalid, unknown, malformed, or exceeds the scope granted',
  400,
);
export const serverError = new OAuthError(
  'server_error',
  'The authorization server encountered an unexpected condition',
  500,
);
export const temporarilyUnavailable = new OAuthError(
  'temporarily_unavailable',
  'The authorization server is temporarily unavailable; retry later',
  503,
);
export const unsupportedTokenType = new OAuthError(
  'unsupported_token_type',
  'The authorization server does not support the revocation of this token type',
  400,
);

/** Library error names we pass through; every other library error is a server_error. */
const SENTINEL_BY_LIBRARY_NAME: Readonly<Record<string, OAuthError>> = {
  invalid_request: invalidRequest,
  invalid_client: invalidClient,
  invalid_grant: invalidGrant,
  unauthorized_client: unauthorizedClient,
  unsupported_grant_type: unsupportedGrantType,
  invalid_scope: invalidScope,
};

/**
 * Maps an error thrown by @node-oauth/oauth2-server to ours, keeping the library's
 * description (it names the offending parameter, never a secret). The library's own status
 * and headers are dropped: our filter decides them (e.g. 401 + WWW-Authenticate for Basic).
 * Returns server_error for InvalidArgumentError (a model/programming bug) and ServerError.
 */
export function fromLibraryError(err: OAuth2Server.OAuthError): OAuthError {
  const sentinel = SENTINEL_BY_LIBRARY_NAME[err.name];
  return sentinel ? sentinel.withHint(err.message || sentinel.description) : serverError;
}

/**
 * The library wraps anything that is not its own OAuthError (a Redis outage, one of our
 * OAuthErrors thrown from a model method) in a ServerError whose `inner` is the original.
 * Returns that original so it can be classified properly.
 */
export function unwrapLibraryError(err: unknown): unknown {
  let current = err;
  while (current instanceof OAuth2Server.ServerError) {
    const inner: unknown = (current as { inner?: unknown }).inner;
    if (inner === undefined) break;
    current = inner;
  }
  return current;
}
