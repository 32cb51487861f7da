import {
  BootstrapClientDto,
  toUpsertClientInput,
} from '../../../src/clients/dto/bootstrap-file.dto';
import { checkDto } from '../../../src/clients/dto/check-dto';
import { CreateClientDto, toCreateClientInput } from '../../../src/clients/dto/create-client.dto';
import { RotateSecretDto } from '../../../src/clients/dto/rotate-secret.dto';
import { toUpdateClientInput, UpdateClientDto } from '../../../src/clients/dto/update-client.dto';

const body = {
  name: 'Billing',
  type: 'confidential',
  grant_types: ['client_credentials'],
  scopes: ['cache:read'],
};

const create = (value: unknown) => checkDto(CreateClientDto, value);
const update = (value: unknown) => checkDto(UpdateClientDto, value);

describe('client DTOs (admin API and bootstrap file wire format)', () => {
  it('maps a create body onto the registry input', () => {
    const { dto, problems } = create({
      ...body,
      client_id: 'billing',
      token_endpoint_auth_method: 'client_secret_post',
      resource_server: true,
      require_pkce: false,
      access_token_ttl_seconds: 300,
    });
    expect(problems).toEqual([]);
    expect(toCreateClientInput(dto)).toEqual(
      expect.objectContaining({
        id: 'billing',
        name: 'Billing',
        type: 'confidential',
        tokenEndpointAuthMethod: 'client_secret_post',
        resourceServer: true,
        requirePkce: false,
        grantTypes: ['client_credentials'],
        scopes: ['cache:read'],
        accessTokenTtlSeconds: 300,
      }),
    );
  });

  it('names each missing required field once, saying what it expects', () => {
    expect(create({}).problems).toEqual([
      'type is required: confidential or public',
      'name is required: a non-empty string',
      'grant_types is required: a list of strings (may be [])',
      'scopes is required: a list of strings (may be [])',
    ]);
    const { scopes: _omitted, ...noScopes } = body;
    expect(create(noScopes).problems).toEqual([
      'scopes is required: a list of strings (may be [])',
    ]);
  });

  it('lists every shape problem at once: unknown field, wrong types, null', () => {
    expect(
      create({ ...body, name: 5, scopes: 'cache:read', grantTypes: [], type: null }).problems,
    ).toEqual([
      'unknown field grantTypes',
      'type must not be null (it is required): expected confidential or public',
      'name must be a non-empty string',
      'scopes must be a list of strings',
    ]);
    expect(create({ ...body, redirect_uris: ['https://a.example/cb', 7] }).problems).toEqual([
      'redirect_uris must be a list of strings',
    ]);
    expect(create({ ...body, resource_server: 'yes' }).problems).toEqual([
      'resource_server must be true or false',
    ]);
    expect(create({ ...body, require_pkce: 'no' }).problems).toEqual([
      'require_pkce must be true or false',
    ]);
    expect(create({ ...body, access_token_ttl_seconds: 1.5 }).problems).toEqual([
      expect.stringMatching(/^access_token_ttl_seconds must be a whole number of seconds/),
    ]);
  });

  it('leaves the fields with a problem out of the input, so the registry judges only the rest', () => {
    const { dto } = create({ ...body, scopes: 'cache:read', type: 5 });
    expect(toCreateClientInput(dto)).toMatchObject({ scopes: undefined, type: undefined });
  });

  it.each([null, [1, 2], 'text', 42])('refuses a body that is not an object: %p', (value) => {
    expect(create(value).problems).toEqual(['the body must be a JSON object']);
    expect(update(value).problems).toEqual(['the body must be a JSON object']);
  });

  describe('PATCH null semantics', () => {
    it('clears a TTL override with null', () => {
      const { dto, problems } = update({ access_token_ttl_seconds: null });
      expect(problems).toEqual([]);
      expect(toUpdateClientInput(dto)).toEqual(
        expect.objectContaining({ accessTokenTtlSeconds: null }),
      );
    });

    it.each([
      'name',
      'grant_types',
      'scopes',
      'redirect_uris',
      'token_endpoint_auth_method',
      'resource_server',
      'require_pkce',
    ])('refuses null for %s, naming the field', (field) => {
      expect(update({ [field]: null }).problems).toEqual([
        expect.stringMatching(new RegExp(`^${field} must not be null`)),
      ]);
    });

    it('changes only the fields present', () => {
      const { dto, problems } = update({ name: 'x' });
      expect(problems).toEqual([]);
      const defined = Object.entries(toUpdateClientInput(dto)).filter(([, v]) => v !== undefined);
      expect(defined).toEqual([['name', 'x']]);
      expect(update({}).problems).toEqual([]);
    });

    it.each([
      [{ type: 'public' }, 'type'],
      [{ client_id: 'other' }, 'client_id'],
      [{ type: null }, 'type'],
    ])('says that client_id and type cannot change: %j', (change, field) => {
      expect(update(change).problems).toEqual([
        `${field} cannot change (delete the client and create it again)`,
      ]);
    });

    it('still names an unknown field as unknown', () => {
      expect(update({ redirect_urls: [] }).problems).toEqual(['unknown field redirect_urls']);
    });
  });

  it('treats a null TTL on create as the server default', () => {
    const { dto, problems } = create({ ...body, refresh_token_ttl_seconds: null });
    expect(problems).toEqual([]);
    expect(toCreateClientInput(dto).refreshTokenTtlSeconds).toBeUndefined();
  });

  it('checks the optional rotate-secret grace period', () => {
    expect(checkDto(RotateSecretDto, {})).toEqual({ dto: {}, problems: [] });
    expect(checkDto(RotateSecretDto, { grace_seconds: 0 }).dto.grace_seconds).toBe(0);
    expect(checkDto(RotateSecretDto, { grace_seconds: -1 }).problems).toEqual([
      expect.stringContaining('grace_seconds must be a whole number'),
    ]);
    expect(checkDto(RotateSecretDto, { grace_seconds: null }).problems).toEqual([
      expect.stringContaining('grace_seconds must not be null'),
    ]);
    expect(checkDto(RotateSecretDto, null).problems).toEqual(['the body must be a JSON object']);
  });

  it('maps a declared client with its secret', () => {
    const { dto, problems } = checkDto(BootstrapClientDto, {
      ...body,
      client_id: 'b',
      client_secret: 's',
    });
    expect(problems).toEqual([]);
    expect(toUpsertClientInput(dto)).toEqual(
      expect.objectContaining({ id: 'b', clientSecret: 's' }),
    );
  });
});
