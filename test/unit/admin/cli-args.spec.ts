import { parseCliArgs, UsageError } from '../../../src/admin/cli/cli-args';

describe('CLI arguments', () => {
  it('parses clients create with lists split on commas and scopes on spaces', () => {
    expect(
      parseCliArgs([
        'clients',
        'create',
        '--name',
        'Web',
        '--type',
        'confidential',
        '--grant-types',
        'authorization_code,refresh_token',
        '--scopes',
        'openid profile',
        '--redirect-uris',
        'https://a.example/cb,https://b.example/cb',
        '--access-token-ttl',
        '300',
        '--cache-services',
        'orders,billing',
      ]),
    ).toEqual({
      kind: 'create',
      input: {
        id: undefined,
        name: 'Web',
        type: 'confidential',
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['openid', 'profile'],
        redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
        cacheServices: ['orders', 'billing'],
        accessTokenTtlSeconds: 300,
        refreshTokenTtlSeconds: undefined,
      },
    });
  });

  it('turns require_pkce off with --no-require-pkce, and leaves the default otherwise', () => {
    const create = (...extra: string[]) =>
      parseCliArgs(['clients', 'create', '--name', 'Legacy', '--type', 'confidential', ...extra]);
    expect(create('--no-require-pkce')).toMatchObject({ input: { requirePkce: false } });
    expect(create()).toMatchObject({ input: { requirePkce: undefined } });
  });

  it('parses list, get, rotate and delete', () => {
    expect(parseCliArgs(['clients', 'list'])).toEqual({ kind: 'list' });
    expect(parseCliArgs(['clients', 'rotate', '--id', 'x'])).toEqual({ kind: 'rotate', id: 'x' });
    expect(parseCliArgs(['clients', 'delete', '--id=x'])).toEqual({ kind: 'delete', id: 'x' });
  });

  it.each([
    [[]],
    [['groups', 'list']],
    [['clients', 'explode']],
    [['clients', 'get']],
    [['clients', 'create', '--name', 'x']],
    [['clients', 'list', '--bogus']],
    [
      [
        'clients',
        'create',
        '--name',
        'x',
        '--type',
        'public',
        '--grant-types',
        'a',
        '--access-token-ttl',
        '1.5',
      ],
    ],
  ])('rejects %j as a usage error', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
  });

  it('parses rotate with an optional grace period, delete and revoke-tokens', () => {
    expect(parseCliArgs(['clients', 'rotate', '--id', 'a', '--grace-seconds', '0'])).toEqual({
      kind: 'rotate',
      id: 'a',
      graceSeconds: 0,
    });
    expect(parseCliArgs(['clients', 'rotate', '--id', 'a'])).toEqual({ kind: 'rotate', id: 'a' });
    expect(parseCliArgs(['clients', 'revoke-tokens', '--id', 'a'])).toEqual({
      kind: 'revoke-tokens',
      id: 'a',
    });
    expect(() => parseCliArgs(['clients', 'revoke-tokens'])).toThrow(UsageError);
    expect(() => parseCliArgs(['clients', 'rotate', '--id', 'a', '--grace-seconds', '-1'])).toThrow(
      UsageError,
    );
  });

  it('parses a resource server with its auth method and no grant type', () => {
    const command = parseCliArgs([
      'clients',
      'create',
      '--name',
      'API',
      '--type',
      'confidential',
      '--resource-server',
      '--auth-method',
      'client_secret_post',
    ]);
    expect(command).toMatchObject({
      kind: 'create',
      input: {
        resourceServer: true,
        tokenEndpointAuthMethod: 'client_secret_post',
        grantTypes: [],
      },
    });
  });
});
