import { loadConfig } from '../../../src/config/load-config';
import { PasswordHasher } from '../../../src/users/password-hasher';
import {
  UsernameTakenError,
  UserNotFoundError,
  UserValidationError,
} from '../../../src/users/user.errors';
import { UsersService } from '../../../src/users/users.service';
import { InMemoryUserStore } from './in-memory-user.store';

const PASSWORD = 'correct horse battery';

async function setup() {
  // Small scrypt parameters keep the unit tests fast; the format carries them anyway.
  const config = loadConfig({ PASSWORD_SCRYPT_N: '1024', PASSWORD_SCRYPT_R: '8' });
  const store = new InMemoryUserStore();
  const hasher = new PasswordHasher(config);
  const service = new UsersService(store, hasher, config);
  await service.onModuleInit();
  return { store, hasher, service };
}

describe('UsersService', () => {
  it('creates a user with a uuid, stores only a scrypt hash and returns no hash', async () => {
    const { store, service } = await setup();
    const user = await service.create({ username: 'Alice', password: PASSWORD, displayName: 'A' });
    expect(user.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(user).toMatchObject({ username: 'Alice', displayName: 'A', disabled: false });
    expect(user).not.toHaveProperty('passwordHash');
    const stored = store.records.get(user.id)!;
    expect(stored.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored.passwordHash).not.toContain(PASSWORD);
  });

  it('lists every problem of a create at once, with the caller’s shape problems first', async () => {
    const { service } = await setup();
    const attempt = service.create({ username: ' bad name', password: 'short' }, ['extra']);
    await expect(attempt).rejects.toThrow(UserValidationError);
    await attempt.catch((err: UserValidationError) => {
      expect(err.problems).toEqual([
        'extra',
        expect.stringMatching(/^username must be/),
        'password must be at least 12 characters',
      ]);
    });
  });

  it('refuses a second user whose name differs only by case', async () => {
    const { service } = await setup();
    await service.create({ username: 'alice', password: PASSWORD });
    await expect(service.create({ username: 'ALICE', password: PASSWORD })).rejects.toThrow(
      UsernameTakenError,
    );
  });

  it('verifies the password of an enabled user, by username in any case', async () => {
    const { service } = await setup();
    const user = await service.create({ username: 'alice', password: PASSWORD });
    expect(await service.verifyPassword('Alice', PASSWORD)).toEqual(user);
    expect(await service.verifyPassword('alice', `${PASSWORD}!`)).toBeNull();
  });

  it('answers null for a disabled user, even with the right password', async () => {
    const { service } = await setup();
    const user = await service.create({ username: 'alice', password: PASSWORD });
    await service.update(user.id, { disabled: true });
    expect(await service.verifyPassword('alice', PASSWORD)).toBeNull();
    await service.update(user.id, { disabled: false });
    expect(await service.verifyPassword('alice', PASSWORD)).not.toBeNull();
  });

  it('runs the KDF once for an unknown username, exactly as for a known one', async () => {
    const { service, hasher, store } = await setup();
    await service.create({ username: 'alice', password: PASSWORD });
    const runs = async (username: string, password: string) => {
      const before = hasher.kdfRuns;
      await service.verifyPassword(username, password);
      return hasher.kdfRuns - before;
    };
    expect(await runs('alice', PASSWORD)).toBe(1);
    expect(await runs('alice', 'wrong password!!')).toBe(1);
    expect(await runs('nobody', PASSWORD)).toBe(1);
    expect(store.usernameLookups).toBe(3);
  });

  it('hashes the dummy at start-up, so the first unknown username costs no extra KDF run', async () => {
    const { service, hasher } = await setup();
    const before = hasher.kdfRuns;
    expect(await service.verifyPassword('nobody', PASSWORD)).toBeNull();
    expect(hasher.kdfRuns - before).toBe(1);
  });

  it('resets a password: the new one verifies, the old one no longer does', async () => {
    const { service } = await setup();
    const user = await service.create({ username: 'alice', password: PASSWORD });
    await service.resetPassword(user.id, 'another long passphrase');
    expect(await service.verifyPassword('alice', PASSWORD)).toBeNull();
    expect(await service.verifyPassword('alice', 'another long passphrase')).not.toBeNull();
  });

  it('refuses a too short new password and an unknown user on reset', async () => {
    const { service } = await setup();
    const user = await service.create({ username: 'alice', password: PASSWORD });
    await expect(service.resetPassword(user.id, 'short')).rejects.toThrow(UserValidationError);
    await expect(service.resetPassword('nope', 'another long passphrase')).rejects.toThrow(
      UserNotFoundError,
    );
  });

  it('updates and removes the display name, and bumps updated_at', async () => {
    const { service } = await setup();
    const user = await service.create({ username: 'alice', password: PASSWORD, displayName: 'A' });
    await new Promise((r) => setTimeout(r, 5));
    const renamed = await service.update(user.id, { displayName: 'Alice L.' });
    expect(renamed.displayName).toBe('Alice L.');
    expect(renamed.updatedAt > user.updatedAt).toBe(true);
    expect((await service.update(user.id, { displayName: null })).displayName).toBeUndefined();
  });

  it('deletes a user: get, list and sign-in no longer see it', async () => {
    const { service } = await setup();
    const user = await service.create({ username: 'alice', password: PASSWORD });
    expect(await service.delete(user.id)).toBe(true);
    expect(await service.delete(user.id)).toBe(false);
    expect(await service.get(user.id)).toBeNull();
    expect(await service.list()).toEqual([]);
    expect(await service.verifyPassword('alice', PASSWORD)).toBeNull();
  });

  it('counts characters, not UTF-16 units, for the minimum length', async () => {
    const { service } = await setup();
    // 11 emoji are 22 UTF-16 units but 11 characters: one short of 12.
    await expect(service.create({ username: 'e', password: '🔑'.repeat(11) })).rejects.toThrow(
      UserValidationError,
    );
  });
});
