import { createHash, randomUUID } from 'node:crypto';
import { randomSecret, SECRET_BYTES, sha256Hex } from '../security/secrets';

/** 32 random bytes = 256 bits of entropy (RFC 6749 section 10.10, RFC 9700 section 4.14). */
export const TOKEN_BYTES = SECRET_BYTES;

/**
 * A new opaque token (access, refresh or authorization code): 256 random bits, base64url
 * without padding (43 characters), which fits the RFC 6750 section 2.1 b64token syntax.
 */
export const generateToken = (): string => randomSecret(TOKEN_BYTES);

/**
 * SHA-256 hex digest of a token: the only form in which tokens reach Redis (keys and
 * values), so a leaked dump or replica holds nothing a client could present.
 */
export const digestToken = sha256Hex;

/** Id of a refresh-rotation family (RFC 9700 section 4.14.2); not a secret. */
export function newFamilyId(): string {
  return randomUUID();
}

/** RFC 7636 section 4.6, S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}
