import { loadConfig } from '../../../src/config/load-config';
import { PasswordHasher } from '../../../src/users/password-hasher';

const hasherWith = (n: string) =>
  new PasswordHasher(loadConfig({ PASSWORD_SCRYPT_N: n, PASSWORD_SCRYPT_R: '8' }));

describe('PasswordHasher', () => {
  it('writes scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const hasher = hasherWith('1024');
    const [a, b] = [await hasher.hash('pw-one-two-three'), await hasher.hash('pw-one-two-three')];
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify('pw-one-two-three', a)).toBe(true);
    expect(await hasher.verify('pw-one-two-thre3', a)).toBe(false);
  });

  it('verifies hashes made with other parameters, and says they need a rehash', async () => {
    const old = await hasherWith('1024').hash('pw-one-two-three');
    const current = hasherWith('2048');
    expect(await current.verify('pw-one-two-three', old)).toBe(true);
    expect(current.needsRehash(old)).toBe(true);
    expect(current.needsRehash(await current.hash('x'))).toBe(false);
  });

  it.each([
    ['garbage', 'not-a-hash'],
    ['an N that is not a power of two', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43)],
    ['an absurd N', 'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43)],
    ['an empty hash part', 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$'],
  ])('verifies nothing against %s, still running the KDF once', async (_what, stored) => {
    const hasher = hasherWith('1024');
    const before = hasher.kdfRuns;
    expect(await hasher.verify('', stored)).toBe(false);
    expect(hasher.kdfRuns - before).toBe(1);
  });

  it('treats canonically equivalent Unicode passwords as one (NFKC)', async () => {
    const hasher = hasherWith('1024');
    const composed = 'caf\u00e9 au lait!!';
    const decomposed = 'cafe\u0301 au lait!!';
    expect(await hasher.verify(decomposed, await hasher.hash(composed))).toBe(true);
  });
});
