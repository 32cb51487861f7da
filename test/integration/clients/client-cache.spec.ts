import { waitForRedis } from '../../../src/admin/cli/wait-for-redis';
import type { CreateClientInput } from '../../../src/clients/client.types';
import { ClientsService } from '../../../src/clients/clients.service';
import { RedisClientStore } from '../../../src/clients/redis-client.store';
import { loadConfig } from '../../../src/config/load-config';
import { keys } from '../../../src/redis/keys';
import { createRedisConnection } from '../../../src/redis/redis-client.factory';
import type { RedisConnection } from '../../../src/redis/redis-connection';
import { RedisSubscriber } from '../../../src/redis/redis-subscriber';
import { useTopology } from '../../support/redis-topology';
import { eventually, TEST_ENV } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });

/** A change must reach every instance within 1 s (issue "Straighten the OAuth2 core", part 2). */
const PROPAGATION_MS = 1000;

const billing = (id: string): CreateClientInput => ({
  id,
  name: 'Billing',
  type: 'confidential',
  grantTypes: ['client_credentials'],
  scopes: ['cache:read'],
});

/** One server instance's registry: its own auth connection and pub/sub connection. */
interface Instance {
  readonly clients: ClientsService;
  readonly connection: RedisConnection;
  readonly subscriber: RedisSubscriber;
}

async function startInstance(env: Record<string, string> = {}): Promise<Instance> {
  // A TTL far above the 1 s bound: only the invalidation can make the tests pass in time.
  const config = loadConfig({
    ...TEST_ENV,
    ...topology().env(),
    CLIENT_CACHE_TTL_MS: '60000',
    ...env,
  });
  const connection = createRedisConnection(config.redis, 'auth');
  await waitForRedis(connection, 10_000);
  const subscriber = new RedisSubscriber(config.redis);
  const clients = new ClientsService(new RedisClientStore(connection.client, subscriber), config);
  return { clients, connection, subscriber };
}

async function stopInstance(instance: Instance): Promise<void> {
  instance.clients.onModuleDestroy();
  await Promise.all([instance.connection.close(), instance.subscriber.close()]);
}

describe('client cache across instances on one Redis', () => {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
  });
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopInstance));
  });

  /** HGETALLs Redis has served (client reads; INFO itself is counted under its own name). */
  async function hgetallCalls(): Promise<number> {
    const stats = await b.connection.client.info('commandstats');
    return Number(/cmdstat_hgetall:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  }

  /** Instance A caches `id` (its subscription is live): a second read reaches no Redis. */
  async function cachedOnA(id: string, secret?: string): Promise<void> {
    await eventually(
      async () => {
        await a.clients.authenticate(id, secret);
        const before = await hgetallCalls();
        await a.clients.authenticate(id, secret);
        return (await hgetallCalls()) === before;
      },
      10_000,
      `client ${id} cached on instance A`,
    );
  }

  /** A fresh id per attempt: a retried test must not meet the client of its first attempt. */
  const uniqueId = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

  it('serves a cached client without a Redis round trip', async () => {
    const id = uniqueId('cached');
    const { clientSecret } = await b.clients.create(billing(id));
    await cachedOnA(id, clientSecret);
    const before = await hgetallCalls();
    for (let i = 0; i < 5; i++) {
      expect(await a.clients.authenticate(id, clientSecret)).not.toBeNull();
    }
    expect(await hgetallCalls()).toBe(before);
  });

  it('sees an update made on another instance within 1 s', async () => {
    const id = uniqueId('updated');
    const { clientSecret } = await b.clients.create(billing(id));
    await cachedOnA(id, clientSecret);
    await b.clients.update(id, { name: 'Renamed' });
    await eventually(
      async () => (await a.clients.get(id))?.name === 'Renamed',
      PROPAGATION_MS,
      'the update on instance A',
    );
  });

  it('stops accepting the old secret within 1 s of a rotation with grace 0 on another instance', async () => {
    const id = uniqueId('rotated');
    const { clientSecret: old } = await b.clients.create(billing(id));
    await cachedOnA(id, old);
    const { clientSecret: next } = await b.clients.rotateSecret(id, { graceSeconds: 0 });
    await eventually(
      async () => (await a.clients.authenticate(id, old)) === null,
      PROPAGATION_MS,
      'the old secret refused on instance A',
    );
    expect(await a.clients.authenticate(id, next)).not.toBeNull();
  });

  it('forgets a client deleted on another instance within 1 s', async () => {
    const id = uniqueId('deleted');
    const { clientSecret } = await b.clients.create(billing(id));
    await cachedOnA(id, clientSecret);
    await b.clients.delete(id);
    await eventually(
      async () => (await a.clients.authenticate(id, clientSecret)) === null,
      PROPAGATION_MS,
      'the deletion on instance A',
    );
  });

  it('sees a client created on another instance within 1 s of caching its id as unknown', async () => {
    const id = uniqueId('late');
    await cachedOnA(id);
    expect(await a.clients.get(id)).toBeNull();
    const { clientSecret } = await b.clients.create(billing(id));
    await eventually(
      async () => (await a.clients.authenticate(id, clientSecret)) !== null,
      PROPAGATION_MS,
      'the creation on instance A',
    );
  });

  it('drops everything it cached when its subscriber connection was lost (messages may be missed)', async () => {
    const id = uniqueId('unannounced');
    const { clientSecret } = await b.clients.create(billing(id));
    await cachedOnA(id, clientSecret);
    const admin = b.connection.client;
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    // A change nobody announces: only dropping the cache on reconnect can reveal it.
    await admin.hset(keys.client(id), 'name', 'Changed unannounced');
    await eventually(
      async () => (await a.clients.get(id))?.name === 'Changed unannounced',
      5_000,
      'instance A to re-read the client after its subscriber reconnected',
    );
  });
});
