import { hashClientSecret } from '../../../src/clients/client-secret';
import { ClientNotFoundError, ClientValidationError } from '../../../src/clients/client.errors';
import type { CreateClientInput } from '../../../src/clients/client.types';
import { ClientsService } from '../../../src/clients/clients.service';
import { loadConfig } from '../../../src/config/load-config';
import { InMemoryClientStore } from './in-memory-client.store';

const SECRET = 'S'.repeat(43);
const confidential: CreateClientInput = {
  name: 'Billing',
  type: 'confidential',
  grantTypes: ['client_credentials'],
  scopes: ['cache:read'],
};
const pub: CreateClientInput = {
  name: 'SPA',
  type: 'public',
  redirectUris: ['https://spa.example.com/cb'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid'],
};

function setup(graceSeconds = 60) {
  const store = new InMemoryClientStore();
  const config = loadConfig({ CLIENT_SECRET_GRACE_SECONDS: String(graceSeconds) });
  return { store, service: new ClientsService(store, config) };
}

describe('ClientsService', () => {
  afterEach(() => jest.useRealTimers());

  it('creates a confidential client with a generated secret and stores only its hash', async () => {
    const { store, service } = setup();
    const { client, clientSecret } = await service.create(confidential);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client).not.toHaveProperty('secretHash');
    expect(store.records.get(client.id)?.secretHash).toBe(hashClientSecret(clientSecret!));
  });

  it('creates public clients without a secret', async () => {
    const { service } = setup();
    const { clientSecret } = await service.create(pub);
    expect(clientSecret).toBeUndefined();
  });

  it('rejects invalid input with ClientValidationError naming the problem', async () => {
    const { service } = setup();
    await expect(service.create({ ...confidential, scopes: ['root'] })).rejects.toThrow(
      ClientValidationError,
    );
  });

  it('authenticates confidential clients by secret and public clients by the absence of one', async () => {
    const { service } = setup();
    const { client, clientSecret } = await service.create(confidential);
    const { client: spa } = await service.create(pub);
    expect(await service.authenticate(client.id, clientSecret)).toMatchObject({ id: client.id });
    expect(await service.authenticate(client.id, 'wrong')).toBeNull();
    expect(await service.authenticate(client.id, undefined)).toBeNull();
    expect(await service.authenticate('nobody', clientSecret)).toBeNull();
    expect(await service.authenticate(spa.id, undefined)).toMatchObject({ id: spa.id });
    expect(await service.authenticate(spa.id, 'anything')).toBeNull();
  });

  it('keeps the old secret valid during the grace period after a rotation, then rejects it', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const { service } = setup(60);
    const { client, clientSecret: old } = await service.create(confidential);
    const { clientSecret: fresh } = await service.rotateSecret(client.id);
    expect(fresh).not.toBe(old);
    expect(await service.authenticate(client.id, fresh)).not.toBeNull();
    expect(await service.authenticate(client.id, old)).not.toBeNull();
    jest.setSystemTime(new Date('2030-01-01T00:01:01Z'));
    expect(await service.authenticate(client.id, old)).toBeNull();
    expect(await service.authenticate(client.id, fresh)).not.toBeNull();
  });

  it('drops the old secret at once when the grace period is 0', async () => {
    const { service } = setup(0);
    const { client, clientSecret: old } = await service.create(confidential);
    await service.rotateSecret(client.id);
    expect(await service.authenticate(client.id, old)).toBeNull();
  });

  it('stops the old secret at once when a rotation asks for a grace period of 0', async () => {
    const { service } = setup(3600);
    const { client, clientSecret: old } = await service.create(confidential);
    const { clientSecret: fresh } = await service.rotateSecret(client.id, { graceSeconds: 0 });
    expect(await service.authenticate(client.id, old)).toBeNull();
    expect(await service.authenticate(client.id, fresh)).not.toBeNull();
    await expect(service.rotateSecret(client.id, { graceSeconds: -5 })).rejects.toThrow(
      /grace_seconds/,
    );
  });

  it('clears a TTL override patched to null and keeps the one left out', async () => {
    const { store, service } = setup();
    const { client } = await service.create({
      ...confidential,
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 600,
    });
    const updated = await service.update(client.id, { accessTokenTtlSeconds: null });
    expect(updated.accessTokenTtlSeconds).toBeUndefined();
    expect(updated.refreshTokenTtlSeconds).toBe(600);
    expect(store.records.get(client.id)).not.toHaveProperty('accessTokenTtlSeconds');
  });

  it("reports the reader's problems together with its own, every one at once", async () => {
    const { service } = setup();
    await expect(
      service.create({ ...confidential, scopes: ['root'] }, ['unknown field grantTypes']),
    ).rejects.toMatchObject({
      problems: ['unknown field grantTypes', expect.stringContaining('root')],
    });
  });

  it('updates only the given fields and re-validates the result', async () => {
    const { service } = setup();
    const { client } = await service.create(confidential);
    const updated = await service.update(client.id, { name: 'Billing v2' });
    expect(updated).toMatchObject({ name: 'Billing v2', scopes: ['cache:read'] });
    await expect(service.update(client.id, { scopes: ['root'] })).rejects.toThrow(
      ClientValidationError,
    );
    await expect(service.update('nobody', { name: 'x' })).rejects.toThrow(ClientNotFoundError);
  });

  it('requires PKCE by default and lets only a confidential client turn it off', async () => {
    const { service } = setup();
    const { client } = await service.create(confidential);
    expect(client.requirePkce).toBe(true);
    expect((await service.update(client.id, { requirePkce: false })).requirePkce).toBe(false);
    expect((await service.get(client.id))?.requirePkce).toBe(false);
    const spa = (await service.create(pub)).client;
    await expect(service.update(spa.id, { requirePkce: false })).rejects.toThrow(
      /require_pkce must be true for a public client/,
    );
    await expect(service.create({ ...pub, requirePkce: false })).rejects.toThrow(
      ClientValidationError,
    );
    expect((await service.get(spa.id))?.requirePkce).toBe(true);
  });

  describe('upsert (bootstrap file)', () => {
    const declared = { ...confidential, id: 'billing', clientSecret: SECRET };

    it('creates once, then writes nothing while the declaration is unchanged', async () => {
      const { store, service } = setup();
      expect((await service.upsert(declared)).created).toBe(true);
      const writes = store.writes;
      const again = await service.upsert(declared);
      expect(again.created).toBe(false);
      expect(store.writes).toBe(writes);
      expect(await service.authenticate('billing', SECRET)).not.toBeNull();
    });

    it('applies a changed field and treats a changed secret as a rotation', async () => {
      const { service } = setup();
      await service.upsert(declared);
      const next = 'T'.repeat(43);
      const { client } = await service.upsert({ ...declared, name: 'Renamed', clientSecret: next });
      expect(client.name).toBe('Renamed');
      expect(await service.authenticate('billing', next)).not.toBeNull();
      expect(await service.authenticate('billing', SECRET)).not.toBeNull();
    });

    it('applies a changed auth method, resource-server or require-pkce flag from the file', async () => {
      const { service } = setup();
      await service.upsert(declared);
      const { client } = await service.upsert({
        ...declared,
        tokenEndpointAuthMethod: 'client_secret_post',
        resourceServer: true,
        requirePkce: false,
      });
      expect(client).toMatchObject({
        tokenEndpointAuthMethod: 'client_secret_post',
        resourceServer: true,
        requirePkce: false,
      });
      const reverted = await service.upsert(declared);
      expect(reverted.client).toMatchObject({
        tokenEndpointAuthMethod: 'client_secret_basic',
        resourceServer: false,
        requirePkce: true,
      });
    });

    it('refuses short declared secrets, secrets on public clients and a type change', async () => {
      const { service } = setup();
      await expect(service.upsert({ ...declared, clientSecret: 'short' })).rejects.toThrow(
        /at least 43 characters/,
      );
      await expect(service.upsert({ ...pub, id: 'spa', clientSecret: SECRET })).rejects.toThrow(
        /public client cannot have a client_secret/,
      );
      await service.upsert(declared);
      await expect(
        service.upsert({
          ...declared,
          type: 'public',
          clientSecret: undefined,
          grantTypes: ['refresh_token'],
        }),
      ).rejects.toThrow(/type cannot change/);
    });
  });
});
