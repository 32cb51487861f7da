import OAuth2Server from '@node-oauth/oauth2-server';
import {
  invalidClient,
  invalidGrant,
  invalidRequest,
  OAuthError,
  temporarilyUnavailable,
} from '../../../src/auth/errors';
import { GrantFailure } from '../../../src/auth/grants/grant-client';
import { fromLibraryError } from '../../../src/auth/token-exchange';

describe('OAuthError', () => {
  it('withHint returns a copy and leaves the sentinel untouched', () => {
    const hinted = invalidGrant.withHint('Invalid grant: code expired');
    expect(hinted).not.toBe(invalidGrant);
    expect(hinted.toBody()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid grant: code expired',
    });
    expect(invalidGrant.description).not.toBe('Invalid grant: code expired');
  });

  it('withStatus and withHeaders copy, merging headers', () => {
    const challenged = invalidClient
      .withStatus(401)
      .withHeaders({ 'WWW-Authenticate': 'Basic realm="x"' });
    expect([challenged.status, challenged.headers]).toEqual([
      401,
      { 'WWW-Authenticate': 'Basic realm="x"' },
    ]);
    expect([invalidClient.status, invalidClient.headers]).toEqual([400, {}]);
  });

  it('carries a cause and a may-redirect flag on copies only', () => {
    const cause = new Error('Connection is closed.');
    const copy = temporarilyUnavailable.withCause(cause).withRedirect(true).withHint('x');
    expect([copy.cause, copy.mayRedirect, copy.description]).toEqual([cause, true, 'x']);
    expect([temporarilyUnavailable.cause, temporarilyUnavailable.mayRedirect]).toEqual([
      undefined,
      false,
    ]);
    expect(JSON.stringify(copy.toBody())).not.toContain('Connection');
  });

  it('keeps error_description within the RFC 6749 section 5.2 character set', () => {
    const body = invalidRequest.withHint('bad "value" \\ é\n').toBody();
    expect(body.error_description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/);
  });
});

describe('fromLibraryError', () => {
  it.each([
    [new OAuth2Server.InvalidRequestError('Missing parameter: `grant_type`'), 'invalid_request'],
    [
      new OAuth2Server.InvalidClientError('Invalid client: client authentication failed'),
      'invalid_client',
    ],
    [
      new OAuth2Server.InvalidGrantError('Invalid grant: authorization code is invalid'),
      'invalid_grant',
    ],
    [
      new OAuth2Server.UnauthorizedClientError('Unauthorized client: `grant_type` is invalid'),
      'unauthorized_client',
    ],
    [
      new OAuth2Server.UnsupportedGrantTypeError('Unsupported grant type: `grant_type` is invalid'),
      'unsupported_grant_type',
    ],
    [
      new OAuth2Server.InvalidScopeError('Invalid scope: Requested scope is invalid'),
      'invalid_scope',
    ],
  ])('maps %p to %s with the library message and status 400', (libraryError, code) => {
    const mapped = fromLibraryError(libraryError);
    expect(mapped).toBeInstanceOf(OAuthError);
    expect(mapped.toBody()).toEqual({ error: code, error_description: libraryError.message });
    expect(mapped.status).toBe(400);
  });

  it('ignores the status and headers the library chose (the filter decides them)', () => {
    expect(fromLibraryError(new OAuth2Server.InvalidClientError('x', { code: 401 })).status).toBe(
      400,
    );
  });

  it.each([
    new OAuth2Server.InvalidArgumentError('Missing parameter: `model`'),
    new OAuth2Server.ServerError('Server error: missing client `grants`'),
    new OAuth2Server.AccessDeniedError('denied'),
    new TypeError('x is undefined'),
  ])('maps %p to server_error carrying it as the cause', (libraryError) => {
    const mapped = fromLibraryError(libraryError);
    expect([mapped.error, mapped.status, mapped.cause]).toEqual([
      'server_error',
      500,
      libraryError,
    ]);
  });

  it("returns a grant's own failure unchanged (a GrantFailure passes the library untouched)", () => {
    const failure = invalidGrant.withHint('Invalid grant: code verifier is invalid');
    expect(fromLibraryError(new GrantFailure(failure))).toBe(failure);
  });
});
