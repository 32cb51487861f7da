import type { GrantType } from '../clients/client.types';
import type { RateLimitCharge } from '../redis/rate-limit';
import type { RefreshingClient, TokenInfo, TokenKind, TokenSubject } from './token.types';

/** Token records to create in one atomic write; digests only, never token values. */
export interface NewTokenRecords {
  readonly subject: TokenSubject;
  readonly grantType: GrantType;
  /** The generation the caller authenticated; the stored client must still have it. */
  readonly clientGeneration: string;
  readonly accessDigest: string;
  /**
   * With a refresh token: its digest, the new rotation family and the family's absolute end
   * (unix seconds), which no rotation extends.
   */
  readonly refresh?: {
    readonly digest: string;
    readonly familyId: string;
    readonly familyExpiresAt: number;
  };
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  /**
   * The caller's rate limit, charged first in the same script (no extra round trip); over it,
   * nothing is written and RateLimitedError is thrown. Absent: no limit.
   */
  readonly rateLimit?: RateLimitCharge;
}

export interface RotationRequest {
  readonly presentedDigest: string;
  readonly client: RefreshingClient;
  readonly newAccessDigest: string;
  readonly newRefreshDigest: string;
  /** Empty or absent: the scope originally granted (less what the client lost). */
  readonly scope?: readonly string[];
  /** Milliseconds since the epoch (iat is its whole seconds). */
  readonly nowMs: number;
  readonly accessTtlSeconds: number;
  /** Upper bound; the new refresh token never outlives its family's absolute end. */
  readonly refreshTtlSeconds: number;
  /** Re-presenting a token rotated less than this ago is not reuse (0 = strict). */
  readonly reuseGraceSeconds: number;
  /** Absolute family lifetime, applied to tokens stored before families had an end. */
  readonly absoluteTtlSeconds: number;
  /**
   * The caller's rate limit, charged first in the same script (no extra round trip); over it,
   * nothing is written and RateLimitedError is thrown. Absent: no limit.
   */
  readonly rateLimit?: RateLimitCharge;
}

export interface Rotation {
  /** The new access token's scope. */
  readonly scope: string[];
  /** The new refresh token's lifetime (capped by the family's absolute end). */
  readonly refreshTtlSeconds: number;
}

export interface RevocationResult {
  readonly found: TokenKind | null;
  /** The token exists but belongs to another client: nothing was revoked. */
  readonly otherClient: boolean;
}

/**
 * Storage of access and refresh tokens, addressed by the SHA-256 digest of their value.
 * Every method is one round trip (rotate: two when its durable write fails) and every write
 * is atomic; writes are durable (replica acknowledged) when REDIS_WRITE_REPLICAS > 0. A Redis
 * outage or a short durable write throws RedisUnavailableException; script outcomes throw the
 * errors of token.errors.ts. Issue, rotate and revoke charge an optional rate limit inside
 * their one script (src/redis/rate-limit.ts): over it they throw RateLimitedError and do
 * nothing else.
 *
 * Every token written is listed in its client's token index (keys.clientTokens) and, when
 * issued for a user, in the user's (keys.userTokens), each trimmed of expired entries on each
 * write to it and expiring with its longest-lived token: no index outlives the tokens it
 * lists, and no cleanup job is needed.
 *
 * Counters kept in the `auth_stats` hash, updated in the same atomic step as the operation
 * (they match the Prometheus metrics of TokensService on a single instance); reads count
 * nothing in Redis:
 * - `issued:<grant_type>`  access tokens issued (a rotation counts as `issued:refresh_token`)
 * - `revoked`  revocations that revoked a token (not-found and other-client calls excluded)
 * - `refresh_reuse`  rotated refresh tokens presented again after the grace period
 * - `code_replayed`  authorization codes presented again (their tokens revoked; redeemCode-8)
 */
export abstract class TokenStore {
  /**
   * Stores the access token and, when given, the refresh token that starts a family, if the
   * stored client still has `clientGeneration`. Throws ClientChangedError (nothing written).
   */
  abstract issue(records: NewTokenRecords): Promise<void>;

  /**
   * Redeems a refresh token: after success the presented token is rotated (find reports it
   * inactive) and the new pair is live in the same family. Presenting it again within
   * `reuseGraceSeconds` of its rotation issues another pair and revokes nothing; later, it
   * throws RefreshTokenReusedError and revokes the family, access tokens included.
   * The new access token gets the requested scope or the granted one, never more than the
   * client's current `scopes`; the new refresh token keeps granted ∩ current scopes.
   * If the durable write fails (RedisUnavailableException), the rotation is undone where it
   * can be, so a retry with the same token works.
   * A token issued for a user rotates only while that user exists and is not disabled;
   * otherwise InvalidRefreshTokenError and the family is revoked.
   * Throws InvalidRefreshTokenError (unknown, expired, revoked, another client's, family past
   * its absolute end, user deleted or disabled), RefreshTokenReusedError,
   * ScopeExceedsGrantError, ClientChangedError (nothing written for any of them except the
   * reuse and user revocations).
   */
  abstract rotate(request: RotationRequest): Promise<Rotation>;

  /**
   * The live record of a token, looking first where `hint` says; null when unknown, expired,
   * revoked or rotated. Writes nothing.
   */
  abstract find(
    digest: string,
    hint: TokenKind | undefined,
    nowSeconds: number,
  ): Promise<TokenInfo | null>;

  /**
   * RFC 7009 revocation by the authenticated client: afterwards `find` reports the token (and
   * for a refresh token every token of its family) inactive and its digest is blacklisted
   * for its remaining life. Another client's token is left untouched.
   */
  abstract revoke(
    digest: string,
    clientId: string,
    hint: TokenKind | undefined,
    rateLimit?: RateLimitCharge,
  ): Promise<RevocationResult>;

  /**
   * Revokes every token of the client's index (blacklisted for its remaining life, deleted),
   * every family they belong to, and the index; returns how many token records it revoked.
   * Afterwards `find` reports every token issued to `clientId` inactive.
   */
  abstract revokeAllForClient(clientId: string): Promise<number>;

  /**
   * Revokes every token of the user's index and every family they belong to, whole, and
   * deletes the index; returns how many token records it revoked. Afterwards `find` reports
   * every token issued for `userId` since the user index exists inactive.
   */
  abstract revokeAllForUser(userId: string): Promise<number>;

  /**
   * Revokes every token in the user's index issued to `clientId`, with their whole families
   * (a revoked consent); returns how many token records were revoked.
   */
  abstract revokeForUserAndClient(userId: string, clientId: string): Promise<number>;

  /** The `auth_stats` counters. */
  abstract stats(): Promise<Record<string, number>>;

  /**
   * Drains the global cleanup index of earlier versions (keys.tokenCleanup, nothing writes it
   * any more): drops up to `batch` entries whose expiry is before `nowMs`; returns how many.
   * Redis deletes the key with its last entry.
   */
  abstract cleanupExpired(nowMs: number, batch: number): Promise<number>;
}
