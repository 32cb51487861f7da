/**
 * The one OAuth error type (RFC 6749 section 5.2, RFC 7009 section 2.2.1), shaped after
 * fosite's RFC6749Error and node-oidc-provider's errors: immutable sentinels carry the RFC
 * code, a default description and the HTTP status; `.withHint()` and friends return
 * copies, so a sentinel is never mutated by a request. A copy may carry the error that
 * caused it (`cause`, for logs, never sent to the client) and whether it may be sent to the
 * client's redirect URI (`mayRedirect`, RFC 6749 section 4.1.2.1: only once the client and
 * its redirect URI are known to be genuine).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'unsupported_token_type'
  | 'login_required'
  | 'consent_required';

/** The JSON body of an error response (RFC 6749 section 5.2). */
export interface OAuthErrorBody {
  readonly error: OAuthErrorCode;
  readonly error_description: string;
}

interface OAuthErrorOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
  readonly mayRedirect?: boolean;
}

/**
 * RFC 6749 section 5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, i.e.
 * printable ASCII without `"` and `\`; anything else is replaced so the body stays valid.
 */
const NOT_NQSCHAR = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;

export class OAuthError extends Error {
  readonly headers: Readonly<Record<string, string>>;
  readonly mayRedirect: boolean;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: number,
    options: OAuthErrorOptions = {},
  ) {
    super(`${error}: ${description}`, { cause: options.cause });
    this.name = 'OAuthError';
    this.headers = options.headers ?? {};
    this.mayRedirect = options.mayRedirect ?? false;
  }

  /** A copy whose error_description is `hint` (what exactly was wrong with this request). */
  withHint(hint: string): OAuthError {
    return this.copy({ description: hint });
  }

  /** A copy with extra response headers (e.g. WWW-Authenticate, Retry-After). */
  withHeaders(headers: Readonly<Record<string, string>>): OAuthError {
    return this.copy({ headers: { ...this.headers, ...headers } });
  }

  /** A copy with another HTTP status (invalid_client is 401 when Basic was attempted). */
  withStatus(status: number): OAuthError {
    return this.copy({ status });
  }

  /** A copy that records what caused it, for the logs; the response never shows it. */
  withCause(cause: unknown): OAuthError {
    return this.copy({ cause });
  }

  /** A copy that may (or may not) be sent to the client's redirect URI. */
  withRedirect(mayRedirect: boolean): OAuthError {
    return this.copy({ mayRedirect });
  }

  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description.replace(NOT_NQSCHAR, "'") };
  }

  private copy(
    changes: Partial<{
      description: string;
      status: number;
      headers: Readonly<Record<string, string>>;
      cause: unknown;
      mayRedirect: boolean;
    }>,
  ): OAuthError {
    return new OAuthError(
      this.error,
      changes.description ?? this.description,
      changes.status ?? this.status,
      {
        headers: changes.headers ?? this.headers,
        cause: 'cause' in changes ? changes.cause : this.cause,
        mayRedirect: changes.mayRedirect ?? this.mayRedirect,
      },
    );
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
export const accessDenied = new OAuthError(
  'access_denied',
  'The resource owner or authorization server denied the request',
  400,
);
export const unsupportedResponseType = new OAuthError(
  'unsupported_response_type',
  'The authorization server does not support this response type',
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
/** OpenID Connect Core section 3.1.2.6, also used by OAuth servers for `prompt=none`. */
export const loginRequired = new OAuthError(
  'login_required',
  'The user must sign in, but prompt=none forbids showing the login page',
  400,
);
export const consentRequired = new OAuthError(
  'consent_required',
  'The user must consent, but prompt=none forbids showing the consent page',
  400,
);
