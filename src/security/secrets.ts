import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * The one implementation of opaque secrets (tokens, codes, client secrets, the admin
 * credential): generation, digests and constant-time comparison. Depends on nothing, so
 * every feature may use it.
 */

/** 32 random bytes = 256 bits (RFC 6749 section 10.10, RFC 9700 section 4.14). */
export const SECRET_BYTES = 32;

/** CSPRNG output drawn per call: one randomBytes call costs ~5 µs, mostly per call, not per byte. */
const pool = Buffer.alloc(SECRET_BYTES * 64);
let poolOffset = pool.length;

/**
 * A new opaque secret: random bytes as base64url without padding (43 characters for 32
 * bytes), which fits RFC 6750's b64token, HTTP Basic and forms without escaping. The bytes
 * come from the CSPRNG in batches (as Node's own randomUUID does); each value is taken once
 * and zeroed in the pool as it is taken, so the pool never holds an issued secret.
 */
export function randomSecret(bytes = SECRET_BYTES): string {
  if (bytes > pool.length) throw new RangeError(`randomSecret: at most ${pool.length} bytes`);
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  const secret = pool.toString('base64url', start, poolOffset);
  pool.fill(0, start, poolOffset);
  return secret;
}

/**
 * SHA-256 hex digest: the only form in which secrets are stored. A plain hash (no salt, no
 * stretching) is enough because every secret hashed here is a high-entropy random value.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Compares a presented secret with a stored SHA-256 hex digest in constant time: both
 * sides are fixed-length digests, so neither the comparison nor the length check leaks how
 * much of the secret matched.
 */
export function matchesDigest(presented: string, storedHex: string | undefined): boolean {
  if (!storedHex) return false;
  const stored = Buffer.from(storedHex, 'hex');
  const computed = createHash('sha256').update(presented, 'utf8').digest();
  return stored.length === computed.length && timingSafeEqual(computed, stored);
}

/** RFC 6750 section 2.1: `Bearer` (case-insensitive scheme), one or more spaces, b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * How the Authorization header presents a bearer credential: `absent` (no header or
 * another scheme: RFC 6750 section 3.1 says such a request gets no error code),
 * `malformed`, or the token.
 */
export function bearerCredential(
  authorization: string | undefined,
):
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'token'; readonly token: string } {
  if (!authorization || !/^Bearer(\s|$)/i.test(authorization)) return { kind: 'absent' };
  const token = BEARER.exec(authorization)?.[1];
  return token ? { kind: 'token', token } : { kind: 'malformed' };
}

/**
 * A configured credential (ADMIN_TOKEN) presented as a bearer token: accepted in constant
 * time; never when none is configured.
 */
export class StaticBearerCredential {
  private readonly digest?: string;

  constructor(secret: string | undefined) {
    this.digest = secret ? sha256Hex(secret) : undefined;
  }

  accepts(authorization: string | undefined): boolean {
    const credential = bearerCredential(authorization);
    return credential.kind === 'token' && matchesDigest(credential.token, this.digest);
  }
}
