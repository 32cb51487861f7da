import type { AuthorizationCodeData } from './token.types';

/**
 * Storage of authorization codes (RFC 6749 section 4.1.2), addressed by the SHA-256 digest of
 * their value. Writes are durable (replica acknowledged) when REDIS_WRITE_REPLICAS > 0; a Redis
 * outage or a short write throws RedisUnavailableException.
 */
export abstract class CodeStore {
  /** Stores a code record for `ttlSeconds`; never overwrites (DuplicateKeyError). */
  abstract saveCode(digest: string, data: AuthorizationCodeData, ttlSeconds: number): Promise<void>;

  /** The code record once: after `consumeCode`, `consumeCode` returns null, even concurrently. */
  abstract consumeCode(digest: string): Promise<AuthorizationCodeData | null>;
}
