import {
  checkAuthorizationRequest,
  checkClientAndRedirect,
  stateOf,
} from '../../../src/auth/authorize/authorization-request';
import { resolveRedirectUri } from '../../../src/auth/authorize/redirect-uri';
import type { OAuthError } from '../../../src/auth/errors';
import type { OAuthClient } from '../../../src/clients/client.types';

const client = {
  id: 'app',
  name: 'App',
  type: 'confidential',
  tokenEndpointAuthMethod: 'client_secret_basic',
  grantTypes: ['authorization_code'],
  scopes: ['openid', 'profile', 'admin'],
  redirectUris: ['https://app.example/cb'],
} as unknown as OAuthClient;
const publicClient = {
  ...client,
  type: 'public',
  tokenEndpointAuthMethod: 'none',
  redirectUris: ['http://127.0.0.1/cb', 'http://[::1]/cb', 'https://app.example/cb'],
} as OAuthClient;
const challenge = 'a'.repeat(43);
const valid = {
  response_type: 'code',
  client_id: 'app',
  code_challenge: challenge,
  code_challenge_method: 'S256',
};

function thrown(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (err) {
    return err as OAuthError;
  }
  throw new Error('did not throw');
}

describe('resolveRedirectUri', () => {
  it('matches registered URIs exactly, never by prefix or case', () => {
    expect(resolveRedirectUri(client, 'https://app.example/cb')).toBe('https://app.example/cb');
    for (const uri of [
      'https://app.example/cb/',
      'https://app.example/c',
      'https://APP.example/cb',
    ]) {
      expect(resolveRedirectUri(client, uri)).toBeUndefined();
    }
  });

  it('defaults to the only registered URI, not one of several', () => {
    expect(resolveRedirectUri(client, undefined)).toBe('https://app.example/cb');
    expect(resolveRedirectUri(publicClient, undefined)).toBeUndefined();
  });

  it('lets only public clients vary the loopback port, nothing else', () => {
    expect(resolveRedirectUri(publicClient, 'http://127.0.0.1:4000/cb')).toBe(
      'http://127.0.0.1:4000/cb',
    );
    expect(resolveRedirectUri(publicClient, 'http://[::1]:4000/cb')).toBe('http://[::1]:4000/cb');
    expect(resolveRedirectUri(publicClient, 'http://localhost:4000/cb')).toBeUndefined();
    expect(resolveRedirectUri(publicClient, 'https://127.0.0.1:4000/cb')).toBeUndefined();
    expect(resolveRedirectUri(publicClient, 'http://127.0.0.1:4000/cb?x=1')).toBeUndefined();
    expect(resolveRedirectUri(publicClient, 'https://app.example:444/cb')).toBeUndefined();
    const confidential = {
      ...publicClient,
      tokenEndpointAuthMethod: 'client_secret_basic',
    } as OAuthClient;
    expect(resolveRedirectUri(confidential, 'http://127.0.0.1:4000/cb')).toBeUndefined();
  });
});

describe('checkClientAndRedirect', () => {
  it('never lets client or redirect_uri errors be redirected', () => {
    const cases: Array<[Record<string, unknown>, OAuthClient | null]> = [
      [{}, null],
      [{ client_id: 'x' }, null],
      [{ client_id: ['app', 'app'] }, client],
      [{ client_id: 'app', redirect_uri: 'https://evil.example/cb' }, client],
      [{ client_id: 'app', redirect_uri: ['a', 'b'] }, client],
      [{ client_id: 'app' }, { ...client, grantTypes: ['client_credentials'] } as OAuthClient],
    ];
    for (const [params, found] of cases) {
      const err = thrown(() => checkClientAndRedirect(params, found));
      expect(err.mayRedirect).toBe(false);
      expect(err.status).toBe(400);
    }
  });
});

describe('checkAuthorizationRequest', () => {
  const check = (params: Record<string, unknown>) =>
    checkAuthorizationRequest(params, client, 'https://app.example/cb');

  it('accepts a minimal request; the default scope leaves out explicit-only scopes', () => {
    expect(check(valid)).toEqual({
      clientId: 'app',
      redirectUri: 'https://app.example/cb',
      scope: ['openid', 'profile'],
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      prompt: [],
    });
  });

  it.each([
    [{ response_type: undefined }, 'invalid_request'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ code_challenge: undefined }, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge_method: undefined }, 'invalid_request'],
    [{ code_challenge: 'a'.repeat(129) }, 'invalid_request'],
    [{ scope: 'openid email' }, 'invalid_scope'],
    [{ scope: ['openid', 'profile'] }, 'invalid_request'],
    [{ prompt: 'none login' }, 'invalid_request'],
    [{ max_age: '1.5' }, 'invalid_request'],
    [{ state: 'caf\u00e9' }, 'invalid_request'],
  ])('redirects %j as %s', (change, error) => {
    const err = thrown(() => check({ ...valid, ...change }));
    expect({ error: err.error, mayRedirect: err.mayRedirect }).toEqual({
      error,
      mayRedirect: true,
    });
  });

  describe('require_pkce (RFC 9700 section 2.1.1)', () => {
    const exempt = { ...client, requirePkce: false } as OAuthClient;
    const noPkce = { ...valid, code_challenge: undefined, code_challenge_method: undefined };

    it('lets a confidential client with require_pkce=false leave PKCE out', () => {
      const request = checkAuthorizationRequest(noPkce, exempt, 'https://app.example/cb');
      expect(request).not.toHaveProperty('codeChallenge');
      expect(request).not.toHaveProperty('codeChallengeMethod');
    });

    it('still binds a challenge such a client sends, and still refuses plain', () => {
      expect(checkAuthorizationRequest(valid, exempt, 'https://app.example/cb')).toMatchObject({
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
      });
      const plain = { ...valid, code_challenge_method: 'plain' };
      expect(thrown(() => checkAuthorizationRequest(plain, exempt, 'x')).error).toBe(
        'invalid_request',
      );
      const methodOnly = { ...noPkce, code_challenge_method: 'S256' };
      expect(thrown(() => checkAuthorizationRequest(methodOnly, exempt, 'x')).description).toMatch(
        /without code_challenge/,
      );
    });

    it('never exempts a public client, whatever its record says', () => {
      const stored = { ...publicClient, requirePkce: false } as OAuthClient;
      expect(thrown(() => checkAuthorizationRequest(noPkce, stored, 'x')).description).toMatch(
        /code_challenge is required/,
      );
    });
  });

  it('keeps state, prompt and max_age', () => {
    expect(
      check({ ...valid, state: 'xyz', prompt: 'login consent', max_age: '0', scope: 'admin' }),
    ).toMatchObject({ state: 'xyz', prompt: ['login', 'consent'], maxAge: 0, scope: ['admin'] });
  });

  it('echoes only a single printable state in errors', () => {
    expect(stateOf({ state: 'abc' })).toBe('abc');
    expect(stateOf({ state: ['a', 'b'] })).toBeUndefined();
    expect(stateOf({ state: 'a\nb' })).toBeUndefined();
  });
});
