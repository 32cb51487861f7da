import type { RateLimitCharge } from '../redis/rate-limit';
import type { AuthorizationCodeData } from './token.types';

/** One redemption of a code, as the store runs it (all digests, no token values). */
export interface CodeRedemptionRecord {
  readonly codeDigest: string;
  readonly clientId: string;
  /** OAuthClient.generation as authenticated: nothing is issued to a re-created client. */
  readonly clientGeneration: string;
  /** The client's scopes now: the code's scope is narrowed to them. */
  readonly clientScopes: readonly string[];
  readonly redirectUri: string;
  /** BASE64URL(SHA256(code_verifier)) (RFC 7636 section 4.6); '' when none was sent. */
  readonly verifierChallenge: string;
  readonly nowSeconds: number;
  readonly accessDigest: string;
  readonly accessTtlSeconds: number;
  /** Absent: no refresh token. */
  readonly refresh?: { readonly digest: string; readonly ttlSeconds: number };
  /** The family every token of this code joins, so a replay can revoke them all. */
  readonly familyId: string;
  readonly familyExpiresAt: number;
  /**
   * The client's rate limit, charged first in the same script: over it, RateLimitedError and
   * nothing happens (the code is not spent).
   */
  readonly rateLimit?: RateLimitCharge;
}

/**
 * Storage of authorization codes (RFC 6749 section 4.1.2), addressed by the SHA-256 digest of
 * their value. Writes are durable (replica acknowledged) when REDIS_WRITE_REPLICAS > 0; a Redis
 * outage or a short write throws RedisUnavailableException.
 */
export abstract class CodeStore {
  /** Stores a code record for `ttlSeconds`; never overwrites (DuplicateKeyError). */
  abstract saveCode(digest: string, data: AuthorizationCodeData, ttlSeconds: number): Promise<void>;

  /**
   * Redeems the code and stores its tokens in one atomic step. The first call spends the code
   * whatever its outcome; every later call fails with CodeReplayedError and revokes the tokens
   * the first one issued (concurrent calls: exactly one can succeed). Other failures:
   * InvalidCodeError, RedirectUriMismatchError, PkceMismatchError (wrong verifier),
   * PkceVerifierMissingError (a code with a challenge, no verifier), UnexpectedVerifierError
   * (a verifier for a code issued without a challenge), CodeUserInactiveError,
   * ClientChangedError (token.errors.ts). Returns the granted scope and the code's user.
   */
  abstract redeemCode(
    r: CodeRedemptionRecord,
  ): Promise<{ scope: readonly string[]; userId?: string }>;
}
