import { findCredentials } from '../../support/log-capture';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';

describe('the credential shapes of the whole-suite log check', () => {
  it.each([
    ['a Basic value', '{"msg":"x","h":"Basic bG9nLXdlYjpzM2NyM3Q="}'],
    ['a Bearer value', '{"msg":"Bearer abcdefgh12345678"}'],
    ['a credential field', '{"body":{"client_secret":"s3cr3t"}}'],
    ['a password field', '{"password":"hunter22"}'],
    ['a credential in a query', '{"req":{"url":"/cb?state=1&code=abc"}}'],
    ['a 256-bit base64url value', `{"msg":"issued ${TOKEN} to app"}`],
  ])('finds %s', (_what, line) => {
    expect(findCredentials([line])).toHaveLength(1);
  });

  it.each([
    ['redacted values', '{"req":{"url":"/t?code=[Redacted]"},"client_secret":"[Redacted]"}'],
    ['a redacted Authorization header', '{"authorization":"[Redacted]","x":"Bearer [Redacted]"}'],
    ['an interaction id', `{"req":{"url":"/login?interaction=${TOKEN}"}}`],
    ['a PKCE challenge', `{"req":{"url":"/oauth2/authorize?code_challenge=${TOKEN}&x=1"}}`],
    ['a SHA-256 hex digest', `{"key":"auth:access_token:${'ab12'.repeat(16)}"}`],
    ['a request id', '{"reqId":"0f8fad5b-d9cb-469f-a165-70867728950e"}'],
  ])('leaves %s alone', (_what, line) => {
    expect(findCredentials([line])).toEqual([]);
  });
});
