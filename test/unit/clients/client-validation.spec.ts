import {
  ClientShape,
  redirectUriProblem,
  validateClient,
} from '../../../src/clients/client-validation';
import type { GrantType } from '../../../src/clients/client.types';

const SCOPES = ['openid', 'profile', 'cache:read', 'admin'];
const valid: ClientShape = {
  id: 'web-app',
  name: 'Web app',
  type: 'confidential',
  redirectUris: ['https://app.example.com/callback'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile'],
};

describe('client validation', () => {
  it('accepts a well-formed client', () => {
    expect(validateClient(valid, SCOPES)).toEqual([]);
  });

  it.each([
    ['https://app.example.com/cb?x=1', null],
    ['http://127.0.0.1:8080/cb', null],
    ['http://[::1]/cb', null],
    ['http://localhost:3000/cb', null],
    ['http://app.example.com/cb', 'must use https'],
    ['https://app.example.com/cb#frag', 'fragment'],
    ['/relative/cb', 'not an absolute URL'],
    ['com.example.app:/cb', 'must use https'],
    ['https://user:pw@app.example.com/cb', 'credentials'],
    ['https://app.example.com/a b', 'whitespace'],
  ])('judges redirect URI %s', (uri, problem) => {
    const result = redirectUriProblem(uri);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });

  it('refuses client_credentials for public clients (RFC 6749 section 4.4)', () => {
    const problems = validateClient(
      { ...valid, type: 'public', grantTypes: ['client_credentials'] },
      SCOPES,
    );
    expect(problems.join()).toContain('public clients may not use the client_credentials grant');
  });

  it('lists every problem at once: unknown grant, unconfigured scope, bad id, missing redirect URI', () => {
    const problems = validateClient(
      {
        ...valid,
        id: '-bad id',
        redirectUris: [],
        grantTypes: ['authorization_code', 'implicit' as GrantType],
        scopes: ['openid', 'superuser'],
        accessTokenTtlSeconds: 0,
      },
      SCOPES,
    );
    expect(problems).toEqual([
      expect.stringContaining('id must be'),
      expect.stringContaining('unknown grant types: implicit'),
      expect.stringContaining('needs at least one redirect URI'),
      expect.stringContaining('scopes not configured on this server: superuser'),
      expect.stringContaining('accessTokenTtlSeconds'),
    ]);
  });
});
