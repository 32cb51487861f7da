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

  it('accepts cache service names and refuses malformed or repeated ones', () => {
    const ok = { ...valid, cacheServices: ['orders', 'billing-v2', 'a_b', '0'] };
    expect(validateClient(ok, SCOPES)).toEqual([]);
    const bad = { ...valid, cacheServices: ['Orders', 'a:b', '-x', 'x'.repeat(65), 'ok', 'ok'] };
    const problems = validateClient(bad, SCOPES);
    for (const name of ['Orders', 'a:b', '-x', 'x'.repeat(65)]) {
      expect(problems).toContainEqual(
        expect.stringContaining(`cache_services entry ${JSON.stringify(name)} must be`),
      );
    }
    expect(problems).toContain('cache_services entry "ok" is listed twice');
    expect(problems).toHaveLength(5);
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
    ['https://*.example.com/cb', 'wildcard'],
    ['https://a.example.com\\@evil.com/cb', 'backslash'],
    ['https://app.example.com/cb#', 'fragment'],
    ['https://@app.example.com/cb', 'credentials'],
    ['https://app.example.com', 'normalized form "https://app.example.com/"'],
    ['https://APP.example.com/cb', 'normalized form "https://app.example.com/cb"'],
    ['https://app.example.com:443/cb', 'normalized form'],
    ['https://app.example.com/%2e%2e/admin', 'normalized form "https://app.example.com/admin"'],
    [`https://app.example.com/${'a'.repeat(4096)}`, 'at most 4096 characters'],
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
      expect.stringContaining('client_id must be'),
      expect.stringContaining('unknown grant types: implicit'),
      expect.stringContaining('needs at least one redirect URI'),
      expect.stringContaining('scopes not configured on this server: superuser'),
      expect.stringContaining('access_token_ttl_seconds'),
    ]);
  });

  it('judges scopes and redirect URIs together with every other field', () => {
    const problems = validateClient(
      { ...valid, name: '', redirectUris: ['https://*.example.com/cb'], scopes: ['root'] },
      SCOPES,
    );
    expect(problems).toEqual([
      expect.stringContaining('name must be'),
      expect.stringContaining('wildcard'),
      expect.stringContaining('root'),
    ]);
  });

  it.each([
    ['public', 'none', null],
    ['public', 'client_secret_basic', 'must be none'],
    ['confidential', 'client_secret_basic', null],
    ['confidential', 'client_secret_post', null],
    ['confidential', 'none', 'must be client_secret_basic or client_secret_post'],
    ['confidential', 'private_key_jwt', 'must be one of'],
  ] as const)('a %s client with token_endpoint_auth_method %s: %s', (type, method, problem) => {
    const client: ClientShape = {
      ...valid,
      type,
      tokenEndpointAuthMethod: method as ClientShape['tokenEndpointAuthMethod'],
    };
    const problems = validateClient(client, SCOPES);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.stringContaining(problem)]);
  });

  it('lets only a confidential client turn require_pkce off (RFC 9700 section 2.1.1)', () => {
    expect(validateClient({ ...valid, requirePkce: false }, SCOPES)).toEqual([]);
    expect(validateClient({ ...valid, type: 'public', requirePkce: false }, SCOPES)).toEqual([
      expect.stringContaining('require_pkce must be true for a public client'),
    ]);
    expect(validateClient({ ...valid, type: 'public', requirePkce: true }, SCOPES)).toEqual([]);
  });

  it('lets only a resource server have no grant type, and only a confidential one', () => {
    expect(validateClient({ ...valid, grantTypes: [] }, SCOPES)).toEqual([
      expect.stringContaining('grant_types may be empty only for a resource server'),
    ]);
    expect(validateClient({ ...valid, grantTypes: [], resourceServer: true }, SCOPES)).toEqual([]);
    expect(
      validateClient({ ...valid, type: 'public', grantTypes: [], resourceServer: true }, SCOPES),
    ).toEqual([expect.stringContaining('a resource server must be a confidential client')]);
  });
});
