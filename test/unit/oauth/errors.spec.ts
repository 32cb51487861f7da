import OAuth2Server from '@node-oauth/oauth2-server';
import {
  fromLibraryError,
  invalidClient,
  invalidGrant,
  invalidRequest,
  OAuthError,
  serverError,
  unwrapLibraryError,
} from '../../../src/oauth/errors';

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

  it('keeps error_description within the RFC 6749 section 5.2 character set', () => {
    const body = invalidRequest.withHint('bad "value" \\ é\n').toBody();
    expect(body.error_description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/);
  });
});

describe('fromLibraryError', () => {
  it.each([
    [new OAuth2Server.InvalidRequestError('Missing parameter: `grant_type`'), 'invalid_request'],
    [new OAuth2Server.InvalidClientError('Invalid client: client is invalid'), 'invalid_client'],
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
  ])('maps %p to server_error', (libraryError) => {
    expect(fromLibraryError(libraryError)).toBe(serverError);
  });
});

describe('unwrapLibraryError', () => {
  it("returns the original error the library wrapped in a ServerError's inner", () => {
    const original = new Error('Connection is closed.');
    const wrapped = new OAuth2Server.ServerError(original);
    expect(unwrapLibraryError(wrapped)).toBe(original);
  });

  it('returns anything else unchanged', () => {
    const plain = new OAuth2Server.ServerError('boom');
    expect(unwrapLibraryError(plain)).toBe(plain);
    expect(unwrapLibraryError(invalidGrant)).toBe(invalidGrant);
  });
});
