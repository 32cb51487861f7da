import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { METRIC } from '../metrics/metric-names';
import { isRedisOutage, RedisUnavailableException } from '../redis/redis-unavailable';
import { RefreshTokenReusedError } from './token.errors';
import { digestToken, generateToken, newFamilyId } from './token-crypto';
import { TokenStore } from './token.store';
import type {
  AuthorizationCodeData,
  IssueOptions,
  IssuedTokens,
  TokenInfo,
  TokenKind,
  TokenSubject,
} from './token.types';

export interface RotationOptions {
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  /** Narrower scope for the new access token (RFC 6749 section 6); absent or empty = as granted. */
  readonly scope?: readonly string[];
}

/** Largest cleanup batch: the script unpacks the batch into one Redis call. */
const MAX_CLEANUP_BATCH = 1000;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const at = (seconds: number): Date => new Date(seconds * 1000);

function assertTtl(name: string, seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new RangeError(`${name} must be a positive integer number of seconds (got ${seconds})`);
  }
}

/**
 * Opaque tokens and authorization codes: 256-bit random values handed out once, stored only
 * by SHA-256 digest. Each operation is one Redis round trip (one Lua script); the metrics
 * recorded here mirror the `auth_stats` counters the scripts keep (see TokenStore).
 */
@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);

  constructor(
    private readonly store: TokenStore,
    @InjectMetric(METRIC.tokensIssued) private readonly issued: Counter<string>,
    @InjectMetric(METRIC.introspections) private readonly introspections: Counter<string>,
    @InjectMetric(METRIC.revocations) private readonly revocations: Counter<string>,
    @InjectMetric(METRIC.refreshReuse) private readonly refreshReuse: Counter<string>,
  ) {}

  /** Issues an access token and, if asked, a refresh token starting a new rotation family. */
  async issue(subject: TokenSubject, opts: IssueOptions): Promise<IssuedTokens> {
    assertTtl('accessTtlSeconds', opts.accessTtlSeconds);
    if (opts.withRefreshToken) assertTtl('refreshTtlSeconds', opts.refreshTtlSeconds);
    const accessToken = generateToken();
    const refreshToken = opts.withRefreshToken ? generateToken() : undefined;
    const issuedAt = nowSeconds();
    await this.storage(() =>
      this.store.issue({
        subject,
        grantType: opts.grantType,
        accessDigest: digestToken(accessToken),
        refresh: refreshToken
          ? { digest: digestToken(refreshToken), familyId: newFamilyId() }
          : undefined,
        issuedAt,
        accessTtlSeconds: opts.accessTtlSeconds,
        refreshTtlSeconds: opts.refreshTtlSeconds,
      }),
    );
    this.issued.inc({ grant_type: opts.grantType });
    return {
      accessToken,
      accessTokenExpiresAt: at(issuedAt + opts.accessTtlSeconds),
      ...(refreshToken
        ? { refreshToken, refreshTokenExpiresAt: at(issuedAt + opts.refreshTtlSeconds) }
        : {}),
      scope: [...subject.scope],
    };
  }

  /**
   * Redeems a refresh token with rotation (RFC 9700 section 4.14.2): the presented token stops
   * working and a new access + refresh token pair of the same family is returned.
   * Throws InvalidRefreshTokenError, RefreshTokenReusedError (the family is revoked),
   * ScopeExceedsGrantError (token.errors.ts).
   */
  async rotateRefreshToken(
    refreshToken: string,
    clientId: string,
    opts: RotationOptions,
  ): Promise<IssuedTokens> {
    assertTtl('accessTtlSeconds', opts.accessTtlSeconds);
    assertTtl('refreshTtlSeconds', opts.refreshTtlSeconds);
    const accessToken = generateToken();
    const newRefreshToken = generateToken();
    const issuedAt = nowSeconds();
    const scope = await this.storage(() =>
      this.store.rotate({
        presentedDigest: digestToken(refreshToken),
        clientId,
        newAccessDigest: digestToken(accessToken),
        newRefreshDigest: digestToken(newRefreshToken),
        scope: opts.scope,
        issuedAt,
        accessTtlSeconds: opts.accessTtlSeconds,
        refreshTtlSeconds: opts.refreshTtlSeconds,
      }),
    ).catch((err: unknown) => {
      if (err instanceof RefreshTokenReusedError) {
        this.refreshReuse.inc();
        // Token values are never logged; the client id is enough to start an investigation.
        this.logger.warn(
          `refresh token reuse detected for client ${clientId}: token family revoked`,
        );
      }
      throw err;
    });
    this.issued.inc({ grant_type: 'refresh_token' });
    return {
      accessToken,
      accessTokenExpiresAt: at(issuedAt + opts.accessTtlSeconds),
      refreshToken: newRefreshToken,
      refreshTokenExpiresAt: at(issuedAt + opts.refreshTtlSeconds),
      scope,
    };
  }

  /** The live token's record (RFC 7662 section 2.2), or null if unknown, expired or revoked. */
  async introspect(token: string, hint?: TokenKind): Promise<TokenInfo | null> {
    const info = await this.storage(() => this.store.find(digestToken(token), hint, nowSeconds()));
    this.introspections.inc({ result: info ? 'active' : 'inactive' });
    return info;
  }

  /**
   * RFC 7009 revocation on behalf of the authenticated `clientId`. A refresh token takes its
   * whole family (and its access tokens) with it. Another client's token is left alone.
   */
  async revoke(
    token: string,
    clientId: string,
    hint?: TokenKind,
  ): Promise<{ found: TokenKind | null; otherClient: boolean }> {
    const result = await this.storage(() => this.store.revoke(digestToken(token), clientId, hint));
    const revoked = result.found !== null && !result.otherClient;
    this.revocations.inc({ token_type: revoked ? (result.found as TokenKind) : 'none' });
    return result;
  }

  /**
   * Revokes every live token (access and refresh, every family) issued to `clientId`:
   * client deletion and the admin API's "revoke all tokens". Returns how many were revoked.
   */
  async revokeAllForClient(clientId: string): Promise<number> {
    // Implemented with the per-client token index (issue "Close the holes", item 5).
    throw new Error(`revokeAllForClient(${clientId}) is not implemented yet`);
  }

  /** Stores a new authorization code (RFC 6749 section 4.1.2) and returns its value once. */
  async saveAuthorizationCode(
    data: Omit<AuthorizationCodeData, 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<{ code: string; expiresAt: Date }> {
    assertTtl('ttlSeconds', ttlSeconds);
    const code = generateToken();
    const expiresAt = nowSeconds() + ttlSeconds;
    await this.storage(() =>
      this.store.saveCode(digestToken(code), { ...data, expiresAt }, ttlSeconds),
    );
    return { code, expiresAt: at(expiresAt) };
  }

  /** The code's record, exactly once (atomic get-and-delete); null if unknown, expired or used. */
  async consumeAuthorizationCode(code: string): Promise<AuthorizationCodeData | null> {
    return this.storage(() => this.store.consumeCode(digestToken(code)));
  }

  /** The `auth_stats` counters (fields documented on TokenStore). */
  async stats(): Promise<Record<string, number>> {
    return this.storage(() => this.store.stats());
  }

  /**
   * Removes up to `batch` expired entries from the token cleanup index; the repeatable job
   * (jobs module) calls it until it returns less than `batch`.
   */
  async cleanupExpired(batch = 500): Promise<number> {
    const size = Math.min(Math.max(Math.floor(batch), 1), MAX_CLEANUP_BATCH);
    return this.storage(() => this.store.cleanupExpired(Date.now(), size));
  }

  /** Redis outages become 503 + Retry-After (RedisUnavailableException), never a 500. */
  private async storage<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      if (isRedisOutage(err) && !(err instanceof RedisUnavailableException)) {
        throw new RedisUnavailableException('unknown');
      }
      throw err;
    }
  }
}
