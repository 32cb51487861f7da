import type Redis from 'ioredis';
import { waitForRedis } from '../../../src/admin/cli/wait-for-redis';
import { loadConfig } from '../../../src/config/load-config';
import { keys } from '../../../src/redis/keys';
import { createRedisConnection } from '../../../src/redis/redis-client.factory';
import type { RedisConnection } from '../../../src/redis/redis-connection';
import { PasswordHasher } from '../../../src/users/password-hasher';
import { RedisUserStore } from '../../../src/users/redis-user.store';
import { UsernameTakenError, UserNotFoundError } from '../../../src/users/user.errors';
import { UsersService } from '../../../src/users/users.service';
import { useTopology } from '../../support/redis-topology';
import { TEST_ENV } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const PASSWORD = 'correct horse battery';

describe('user registry on real Redis', () => {
  const connections: RedisConnection[] = [];
  let redis: Redis;
  let users: UsersService;
  /** A second service on its own connection: a second server instance. */
  let other: UsersService;

  beforeAll(async () => {
    const config = loadConfig({ ...TEST_ENV, ...topology().env(), PASSWORD_SCRYPT_N: '1024' });
    const service = async () => {
      const connection = createRedisConnection(config.redis, 'auth');
      connections.push(connection);
      await waitForRedis(connection, 10_000);
      const created = new UsersService(
        new RedisUserStore(connection.client),
        new PasswordHasher(config),
        config,
      );
      await created.onModuleInit();
      return created;
    };
    users = await service();
    other = await service();
    redis = connections[0].client;
  });
  afterAll(() => Promise.all(connections.map((c) => c.close())));

  it('stores the user hash, the lowercased username index and the id set; no plaintext password', async () => {
    const user = await users.create({ username: 'Alice', password: PASSWORD, displayName: 'Al' });
    expect(await redis.hgetall(keys.user(user.id))).toEqual({
      id: user.id,
      username: 'Alice',
      display_name: 'Al',
      disabled: '0',
      password_hash: expect.stringMatching(/^scrypt\$1024\$8\$1\$/),
      created_at: user.createdAt,
      updated_at: user.updatedAt,
    });
    expect(await redis.get(keys.username('alice'))).toBe(user.id);
    expect(await redis.sismember(keys.userIndex(), user.id)).toBe(1);
    for (const key of await redis.keys('*')) {
      const values =
        (await redis.type(key)) === 'hash' ? Object.values(await redis.hgetall(key)) : [];
      expect(values.join(' ')).not.toContain(PASSWORD);
    }
  });

  it('gives concurrent creates of one name (any case, two instances) exactly one user', async () => {
    const names = ['bob', 'Bob', 'BOB', 'bOb', 'boB', 'BOb'];
    const results = await Promise.allSettled(
      names.map((username, i) => (i % 2 ? other : users).create({ username, password: PASSWORD })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(names.length - 1);
    failed.forEach((r) => expect(r.reason).toBeInstanceOf(UsernameTakenError));
    const ids = (await users.list()).filter((u) => u.username.toLowerCase() === 'bob');
    expect(ids).toHaveLength(1);
    expect(await redis.get(keys.username('bob'))).toBe(ids[0].id);
  });

  it('gets, lists by username, disables, enables and deletes', async () => {
    const carol = await users.create({ username: 'carol', password: PASSWORD });
    const dave = await users.create({ username: 'Dave', password: PASSWORD });
    expect(await other.get(carol.id)).toEqual(carol);
    const listed = (await users.list()).map((u) => u.username);
    expect(listed.indexOf('carol')).toBeLessThan(listed.indexOf('Dave'));

    expect((await users.update(carol.id, { disabled: true })).disabled).toBe(true);
    expect(await redis.hget(keys.user(carol.id), 'disabled')).toBe('1');
    expect(await users.verifyPassword('carol', PASSWORD)).toBeNull();
    expect((await users.update(carol.id, { disabled: false })).disabled).toBe(false);
    expect(await users.verifyPassword('carol', PASSWORD)).toMatchObject({ id: carol.id });

    expect(await users.delete(dave.id)).toBe(true);
    expect(await users.delete(dave.id)).toBe(false);
    expect(await redis.exists(keys.user(dave.id), keys.username('dave'))).toBe(0);
    expect(await redis.sismember(keys.userIndex(), dave.id)).toBe(0);
    expect(await users.get(dave.id)).toBeNull();
    // The name is free again: a new user may take it (with a new id).
    const again = await users.create({ username: 'dave', password: PASSWORD });
    expect(again.id).not.toBe(dave.id);
  });

  it('never re-creates a deleted user through an update or a password reset', async () => {
    const erin = await users.create({ username: 'erin', password: PASSWORD });
    await users.delete(erin.id);
    await expect(users.update(erin.id, { disabled: true })).rejects.toThrow(UserNotFoundError);
    await expect(users.resetPassword(erin.id, 'another long passphrase')).rejects.toThrow(
      UserNotFoundError,
    );
    expect(await redis.exists(keys.user(erin.id))).toBe(0);
  });

  it('verifies passwords: right, wrong, unknown user, after a reset', async () => {
    const frank = await users.create({ username: 'Frank', password: PASSWORD });
    expect(await users.verifyPassword('frank', PASSWORD)).toEqual(frank);
    expect(await users.verifyPassword('frank', 'wrong password!!')).toBeNull();
    expect(await users.verifyPassword('nobody-here', PASSWORD)).toBeNull();
    await other.resetPassword(frank.id, 'another long passphrase');
    expect(await users.verifyPassword('frank', PASSWORD)).toBeNull();
    expect(await users.verifyPassword('FRANK', 'another long passphrase')).toMatchObject({
      id: frank.id,
    });
  });
});
