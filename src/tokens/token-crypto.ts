import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 32 random bytes = 256 bits of entropy (RFC 6749 section 10.10, RFC 9700 section 4.14). */
export const TOKEN_BYTES = 32;

/**
 * A new opaque token (access, refresh or authorization code): 256 random bits,
 * base64url without padding (43 characters), which fits the RFC 6750 section 2.1
 * b64token syntax and needs no escaping in URLs or forms.
 */
export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
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
