import {
  readCreateClientBody,
  readDeclaredClient,
  readRotateSecretBody,
  readUpdateClientBody,
} from '../../../src/clients/dto/client-body';

const body = {
  name: 'Billing',
  type: 'confidential',
  grant_types: ['client_credentials'],
  scopes: ['cache:read'],
};

describe('client bodies (admin API and bootstrap file wire format)', () => {
  it('reads a create body into the registry input', () => {
    expect(
      readCreateClientBody({
        ...body,
        client_id: 'billing',
        token_endpoint_auth_method: 'client_secret_post',
        resource_server: true,
        access_token_ttl_seconds: 300,
      }),
    ).toEqual({
      input: expect.objectContaining({
        id: 'billing',
        name: 'Billing',
        type: 'confidential',
        tokenEndpointAuthMethod: 'client_secret_post',
        resourceServer: true,
        grantTypes: ['client_credentials'],
        scopes: ['cache:read'],
        accessTokenTtlSeconds: 300,
      }),
      problems: [],
    });
  });

  it('names each missing required field once, saying what it expects', () => {
    expect(readCreateClientBody({}).problems).toEqual([
      'type is required: confidential or public',
      'name is required: a non-empty string',
      'grant_types is required: a list of strings (may be [])',
      'scopes is required: a list of strings (may be [])',
    ]);
    const { scopes: _omitted, ...noScopes } = body;
    expect(readCreateClientBody(noScopes).problems).toEqual([
      'scopes is required: a list of strings (may be [])',
    ]);
  });

  it('lists every shape problem at once: unknown field, wrong types, null', () => {
    expect(
      readCreateClientBody({ ...body, name: 5, scopes: 'cache:read', grantTypes: [], type: null })
        .problems,
    ).toEqual([
      'unknown field grantTypes',
      'type must not be null (it is required): expected confidential or public',
      'name must be a non-empty string',
      'scopes must be a list of strings',
    ]);
  });

  it.each([null, [1, 2], 'text', 42])('refuses a body that is not an object: %p', (value) => {
    expect(readCreateClientBody(value).problems).toEqual(['the body must be a JSON object']);
    expect(readUpdateClientBody(value).problems).toEqual(['the body must be a JSON object']);
  });

  describe('PATCH null semantics', () => {
    it('clears a TTL override with null', () => {
      expect(readUpdateClientBody({ access_token_ttl_seconds: null })).toEqual({
        input: expect.objectContaining({ accessTokenTtlSeconds: null }),
        problems: [],
      });
    });

    it.each([
      'name',
      'grant_types',
      'scopes',
      'redirect_uris',
      'token_endpoint_auth_method',
      'resource_server',
    ])('refuses null for %s, naming the field', (field) => {
      const { problems } = readUpdateClientBody({ [field]: null });
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^${field} must not be null`))]);
    });

    it('leaves absent fields out of the change', () => {
      expect(readUpdateClientBody({ name: 'x' }).input).toEqual(
        Object.fromEntries(
          Object.entries(readUpdateClientBody({ name: 'x' }).input).filter(
            ([, v]) => v !== undefined,
          ),
        ),
      );
      expect(readUpdateClientBody({}).problems).toEqual([]);
    });

    it('says that client_id and type cannot change', () => {
      expect(readUpdateClientBody({ type: 'public' }).problems).toEqual([
        'unknown field type (client_id and type cannot change)',
      ]);
    });
  });

  it('treats a null TTL on create as the server default', () => {
    expect(readCreateClientBody({ ...body, refresh_token_ttl_seconds: null })).toEqual({
      input: expect.objectContaining({ refreshTokenTtlSeconds: undefined }),
      problems: [],
    });
  });

  it('reads the optional rotate-secret grace period', () => {
    expect(readRotateSecretBody(undefined)).toEqual({ input: {}, problems: [] });
    expect(readRotateSecretBody({ grace_seconds: 0 })).toEqual({
      input: { graceSeconds: 0 },
      problems: [],
    });
    expect(readRotateSecretBody({ grace_seconds: -1 }).problems).toEqual([
      expect.stringContaining('grace_seconds must be a whole number'),
    ]);
    expect(readRotateSecretBody(null).problems).toEqual(['the body must be a JSON object']);
  });

  it('reads a declared client with its secret', () => {
    expect(readDeclaredClient({ ...body, client_id: 'b', client_secret: 's' })).toEqual({
      input: expect.objectContaining({ id: 'b', clientSecret: 's' }),
      problems: [],
    });
  });
});
