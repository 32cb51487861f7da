import type { OAuthError } from '../errors';

/**
 * The URL an authorization response is sent to (RFC 6749 section 4.1.2): the registered
 * redirect URI with its own query kept (section 3.1.2), plus the response parameters and
 * `iss` (RFC 9207 section 2: lets the client detect mix-up attacks).
 */
export function responseUrl(
  redirectUri: string,
  issuer: string,
  params: Readonly<Record<string, string | undefined>>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  url.searchParams.set('iss', issuer);
  return url.toString();
}

/** RFC 6749 section 4.1.2.1: error, error_description and the request's state. */
export function errorResponseUrl(
  redirectUri: string,
  issuer: string,
  err: OAuthError,
  state: string | undefined,
): string {
  const body = err.toBody();
  return responseUrl(redirectUri, issuer, {
    error: body.error,
    error_description: body.error_description,
    state,
  });
}
