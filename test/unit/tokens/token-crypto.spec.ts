import { digestToken, generateToken, newFamilyId } from '../../../src/tokens/token-crypto';

describe('token-crypto', () => {
  it('generates 256-bit tokens as unpadded base64url', () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('never repeats a token', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
  });

  it('digests with SHA-256 as lowercase hex', () => {
    // FIPS 180-2 test vector for "abc".
    expect(digestToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(digestToken(generateToken())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every family a distinct id', () => {
    expect(newFamilyId()).not.toBe(newFamilyId());
  });
});
