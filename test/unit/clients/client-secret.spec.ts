import {
  generateClientSecret,
  hashClientSecret,
  secretMatchesHash,
} from '../../../src/clients/client-secret';

describe('client secrets', () => {
  it('generates 256-bit secrets as 43 base64url characters, never twice the same', () => {
    const secrets = new Set(Array.from({ length: 100 }, generateClientSecret));
    expect(secrets.size).toBe(100);
    for (const s of secrets) {
      expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    }
  });

  it('hashes with SHA-256 as lowercase hex', () => {
    expect(hashClientSecret('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('verifies the right secret and rejects a wrong one, a missing hash and a malformed hash', () => {
    const secret = generateClientSecret();
    const hash = hashClientSecret(secret);
    expect(secretMatchesHash(secret, hash)).toBe(true);
    expect(secretMatchesHash(`${secret}x`, hash)).toBe(false);
    expect(secretMatchesHash(secret, undefined)).toBe(false);
    expect(secretMatchesHash(secret, 'abcd')).toBe(false);
  });
});
