import {
  bearerCredential,
  matchesDigest,
  randomSecret,
  sha256Hex,
  StaticBearerCredential,
} from '../../../src/security/secrets';

describe('opaque secrets (one implementation for tokens, client secrets, the admin credential)', () => {
  it('generates 256-bit base64url secrets, all different', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => randomSecret()));
    expect(secrets.size).toBe(100);
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches a secret against its SHA-256 digest only', () => {
    const digest = sha256Hex('s3cret');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(matchesDigest('s3cret', digest)).toBe(true);
    expect(matchesDigest('s3creT', digest)).toBe(false);
    expect(matchesDigest('s3cret', undefined)).toBe(false);
    expect(matchesDigest('s3cret', 'abcd')).toBe(false);
  });

  it.each([
    [undefined, { kind: 'absent' }],
    ['Basic dXNlcjpwYXNz', { kind: 'absent' }],
    ['Bearer', { kind: 'malformed' }],
    ['Bearer a b', { kind: 'malformed' }],
    ['bearer  abc.DEF-1~+/==', { kind: 'token', token: 'abc.DEF-1~+/==' }],
  ])('reads %p as %p (RFC 6750 section 2.1)', (header, expected) => {
    expect(bearerCredential(header)).toEqual(expected);
  });

  it('accepts the configured static credential, never when none is configured', () => {
    const admin = new StaticBearerCredential('x'.repeat(40));
    expect(admin.accepts(`Bearer ${'x'.repeat(40)}`)).toBe(true);
    expect(admin.accepts(`Bearer ${'x'.repeat(39)}`)).toBe(false);
    expect(admin.accepts(undefined)).toBe(false);
    expect(new StaticBearerCredential(undefined).accepts('Bearer ')).toBe(false);
  });
});
