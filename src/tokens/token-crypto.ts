import { createHash, randomFillSync, randomUUID } from 'node:crypto';

/** 32 random bytes = 256 bits of entropy (RFC 6749 section 10.10, RFC 9700 section 4.14). */
export const TOKEN_BYTES = 32;

/** Tokens' worth of CSPRNG output drawn per call: one call costs as much as ~60 drawn values. */
const POOL_TOKENS = 64;
const pool = Buffer.alloc(TOKEN_BYTES * POOL_TOKENS);
let poolOffset = pool.length;

/**
 * A new opaque token (access, refresh or authorization code): 256 random bits,
 * base64url without padding (43 characters), which fits the RFC 6750 section 2.1
 * b64token syntax and needs no escaping in URLs or forms.
 * The bits come from the CSPRNG in batches (as Node's own randomUUID does): each
 * randomBytes call cost ~5 µs, most of it per call, not per byte. Every value is taken
 * once and zeroed in the pool as it is taken, so the pool never holds an issued token.
 */
export function generateToken(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += TOKEN_BYTES;
  const token = pool.toString('base64url', start, poolOffset);
  pool.fill(0, start, poolOffset);
  return token;
}

/**
 * SHA-256 hex digest of a token: the only form in which tokens reach Redis (keys and
 * values), so a leaked dump or replica holds nothing a client could present. A plain
 * hash (no salt, no stretching) is enough because the input has 256 bits of entropy.
 */
export function digestToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Id of a refresh-rotation family (RFC 9700 section 4.14.2); not a secret. */
export function newFamilyId(): string {
  return randomUUID();
}
