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
        accessTokenTtlSeconds: 300,
        refreshTokenTtlSeconds: undefined,
      },
    });
  });

  it('parses list, get, rotate and delete', () => {
    expect(parseCliArgs(['clients', 'list'])).toEqual({ kind: 'list' });
    expect(parseCliArgs(['clients', 'rotate', '--id', 'x'])).toEqual({ kind: 'rotate', id: 'x' });
    expect(parseCliArgs(['clients', 'delete', '--id=x'])).toEqual({ kind: 'delete', id: 'x' });
  });

  it.each([
    [[]],
    [['users', 'list']],
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
});
