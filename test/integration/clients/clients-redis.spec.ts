import type Redis from 'ioredis';
import { waitForRedis } from '../../../src/admin/cli/wait-for-redis';
import type { CreateClientInput } from '../../../src/clients/client.types';
import { ClientsService } from '../../../src/clients/clients.service';
import { RedisClientStore } from '../../../src/clients/redis-client.store';
import { loadConfig } from '../../../src/config/load-config';
import { keys } from '../../../src/redis/keys';
import { createRedisConnection } from '../../../src/redis/redis-client.factory';
import type { RedisConnection } from '../../../src/redis/redis-connection';
import { RedisSubscriber } from '../../../src/redis/redis-subscriber';
import { TEST_ENV } from '../../support/test-app';
import { useTopology } from '../../support/redis-topology';

const topology = useTopology({ mode: 'standalone' });

const service: CreateClientInput = {
  name: 'Billing',
  type: 'confidential',
  grantTypes: ['client_credentials'],
  scopes: ['cache:read', 'cache:write'],
  accessTokenTtlSeconds: 300,
};
const spa: CreateClientInput = {
  name: 'SPA',
  type: 'public',
  redirectUris: ['https://spa.example.com/cb', 'http://127.0.0.1:8080/cb'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid'],
};

describe('client registry on real Redis', () => {
  let connection: RedisConnection;
  let redis: Redis;
  let clients: ClientsService;
  let subscriber: RedisSubscriber;

  beforeAll(async () => {
    const config = loadConfig({
      ...TEST_ENV,
      ...topology().env(),
      CLIENT_SECRET_GRACE_SECONDS: '1',
    });
    connection = createRedisConnection(config.redis, 'auth');
    redis = connection.client;
    await waitForRedis(connection, 10_000);
    subscriber = new RedisSubscriber(config.redis);
    clients = new ClientsService(new RedisClientStore(redis, subscriber), config);
  });
  afterAll(async () => {
    clients.onModuleDestroy();
    await Promise.all([connection.close(), subscriber.close()]);
  });

  /** Every key name and every value in DB 0, as one string to search. */
  async function dumpAuthDb(): Promise<string> {
    const parts: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      parts.push(key);
      if (type === 'hash') parts.push(...Object.entries(await redis.hgetall(key)).flat());
      else if (type === 'set') parts.push(...(await redis.smembers(key)));
      else if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else parts.push(`<${type}>`);
    }
    return parts.join('\n');
  }

  it('returns the secret once and Redis holds only its SHA-256 hash', async () => {
    const { client, clientSecret } = await clients.create(service);
    const dump = await dumpAuthDb();
    expect(clientSecret).toBeDefined();
    expect(dump).not.toContain(clientSecret);
    expect(await redis.hget(keys.client(client.id), 'secret_hash')).toMatch(/^[0-9a-f]{64}$/);
    expect(await redis.sismember(keys.clientIndex(), client.id)).toBe(1);
    expect(await clients.get(client.id)).toEqual(client);
    expect(JSON.stringify(await clients.get(client.id))).not.toMatch(/secretHash|[0-9a-f]{64}/i);
  });

  it('authenticates: right secret ok, wrong or missing secret and unknown client null, public client only without a secret', async () => {
    const { client, clientSecret } = await clients.create(service);
    const { client: pub } = await clients.create(spa);
    expect(await clients.authenticate(client.id, clientSecret)).toEqual(client);
    expect(await clients.authenticate(client.id, `${clientSecret}x`)).toBeNull();
    expect(await clients.authenticate(client.id, undefined)).toBeNull();
    expect(await clients.authenticate('no-such-client', clientSecret)).toBeNull();
    expect(await clients.authenticate(pub.id, undefined)).toEqual(pub);
    expect(await clients.authenticate(pub.id, 'some-secret')).toBeNull();
  });

  it('rotation: the new secret works, the old one within the grace period only (1 s)', async () => {
    const { client, clientSecret: old } = await clients.create(service);
    const { clientSecret: fresh } = await clients.rotateSecret(client.id);
    expect(fresh).not.toBe(old);
    expect(await clients.authenticate(client.id, fresh)).not.toBeNull();
    expect(await clients.authenticate(client.id, old)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1100));
    expect(await clients.authenticate(client.id, old)).toBeNull();
    expect(await clients.authenticate(client.id, fresh)).not.toBeNull();
    expect(await dumpAuthDb()).not.toContain(fresh);
  });

  it('refuses to rotate a public client or an unknown one', async () => {
    const { client } = await clients.create(spa);
    await expect(clients.rotateSecret(client.id)).rejects.toThrow(/public/);
    await expect(clients.rotateSecret('no-such-client')).rejects.toThrow(/not found/);
  });

  it('refuses a second create with the same id and changes nothing', async () => {
    const { client } = await clients.create({ ...service, id: 'fixed-id' });
    await expect(clients.create({ ...spa, id: 'fixed-id' })).rejects.toThrow(/already exists/);
    expect(await clients.get('fixed-id')).toEqual(client);
  });

  it('updates, lists and deletes, keeping the index in step', async () => {
    const { client, clientSecret } = await clients.create({ ...service, id: 'to-update' });
    const updated = await clients.update(client.id, { name: 'Renamed', scopes: ['cache:read'] });
    expect(updated).toMatchObject({
      name: 'Renamed',
      scopes: ['cache:read'],
      accessTokenTtlSeconds: 300,
    });
    expect(await clients.get(client.id)).toEqual(updated);
    expect(await clients.authenticate(client.id, clientSecret)).not.toBeNull();
    expect((await clients.list()).map((c) => c.id)).toContain(client.id);

    expect(await clients.delete(client.id)).toBe(true);
    expect(await clients.delete(client.id)).toBe(false);
    expect(await clients.get(client.id)).toBeNull();
    expect(await redis.sismember(keys.clientIndex(), client.id)).toBe(0);
    expect((await clients.list()).map((c) => c.id)).not.toContain(client.id);
    await expect(clients.update(client.id, { name: 'ghost' })).rejects.toThrow(/not found/);
    expect(await redis.exists(keys.client(client.id))).toBe(0);
  });

  it('upsert is idempotent and does not bump updatedAt when nothing changed', async () => {
    const declared = { ...service, id: 'declared', clientSecret: 'd'.repeat(48) };
    const first = await clients.upsert(declared);
    const second = await clients.upsert(declared);
    expect(first.created).toBe(true);
    expect(second).toEqual({ client: first.client, created: false });
    expect(await clients.authenticate('declared', declared.clientSecret)).not.toBeNull();
    const { accessTokenTtlSeconds: _dropped, ...withoutTtl } = declared;
    const third = await clients.upsert(withoutTtl);
    expect(third.client.accessTokenTtlSeconds).toBeUndefined();
    expect(await redis.hexists(keys.client('declared'), 'access_token_ttl_seconds')).toBe(0);
  });
});
