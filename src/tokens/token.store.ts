import type { GrantType } from '../clients/client.types';
import type { AuthorizationCodeData, TokenInfo, TokenKind, TokenSubject } from './token.types';

/** Token records to create in one atomic write; digests only, never token values. */
export interface NewTokenRecords {
  readonly subject: TokenSubject;
  readonly grantType: GrantType;
  readonly accessDigest: string;
  /** With a refresh token: its digest and the new rotation family. */
  readonly refresh?: { readonly digest: string; readonly familyId: string };
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
}

export interface RotationRequest {
  readonly presentedDigest: string;
  readonly clientId: string;
  readonly newAccessDigest: string;
  readonly newRefreshDigest: string;
  /** Empty or absent: the scope originally granted. */
  readonly scope?: readonly string[];
  readonly issuedAt: number;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
}

export interface RevocationResult {
  readonly found: TokenKind | null;
  /** The token exists but belongs to another client: nothing was revoked. */
  readonly otherClient: boolean;
}

/**
 * Storage of tokens and authorization codes, addressed by the SHA-256 digest of their value.
 * Every method is one round trip and every write is atomic; writes are durable (replica
 * acknowledged) when REDIS_WRITE_REPLICAS > 0, and throw RedisUnavailableException otherwise.
 *
 * Counters kept in the `auth_stats` hash, updated in the same atomic step as the operation
 * (they match the Prometheus metrics of TokensService on a single instance):
 * - `issued:<grant_type>`  access tokens issued (a rotation counts as `issued:refresh_token`)
 * - `introspect:active` / `introspect:inactive`  lookups through `find`
 * - `revoked`  revocations that revoked a token (not-found and other-client calls excluded)
 * - `refresh_reuse`  rotated refresh tokens presented again (their family was revoked)
 */
export abstract class TokenStore {
  /** Stores the access token and, when given, the refresh token that starts a family. */
  abstract issue(records: NewTokenRecords): Promise<void>;

  /**
   * Redeems a refresh token: after success the presented token is rotated (find reports it
   * inactive, a second rotate throws RefreshTokenReusedError and revokes the family, access
   * tokens included) and the new pair is live in the same family.
   * Returns the new access token's scope.
   * Throws InvalidRefreshTokenError (unknown, expired, revoked, another client's),
   * RefreshTokenReusedError, ScopeExceedsGrantError (nothing written).
   */
  abstract rotate(request: RotationRequest): Promise<string[]>;

  /**
   * The live record of a token, looking first where `hint` says; null when unknown, expired,
   * revoked or rotated. Counts `introspect:active|inactive`.
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
  ): Promise<RevocationResult>;

  /** Stores a code record for `ttlSeconds`; never overwrites. */
  abstract saveCode(digest: string, data: AuthorizationCodeData, ttlSeconds: number): Promise<void>;

  /** The code record once: after `consumeCode`, `consumeCode` returns null. */
  abstract consumeCode(digest: string): Promise<AuthorizationCodeData | null>;

  /** The `auth_stats` counters. */
  abstract stats(): Promise<Record<string, number>>;

  /** Drops up to `batch` cleanup-index entries whose expiry is before `nowMs`; returns how many. */
  abstract cleanupExpired(nowMs: number, batch: number): Promise<number>;
}
