import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { METRIC } from '../metrics/metric-names';
import type { RateLimitCharge } from '../redis/rate-limit';
import { CodeStore } from './code.store';
import { ClientChangedError, CodeReplayedError, RefreshTokenReusedError } from './token.errors';
import { digestToken, generateToken, newFamilyId, pkceChallenge } from './token-crypto';
import { TokenStore } from './token.store';
import type {
  AuthorizationCodeData,
  CodeRedemption,
  IssueOptions,
  IssuedTokens,
  RedeemedCode,
  RefreshingClient,
  RotationOptions,
  TokenInfo,
  TokenKind,
  TokenSubject,
} from './token.types';

export type { RotationOptions } from './token.types';

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
 * recorded here mirror the `auth_stats` counters the scripts keep (see TokenStore). The stores
 * turn Redis outages into RedisUnavailableException (503) and script outcomes into the errors
 * of token.errors.ts; this class adds metrics and logs.
 */
@Injectable()
export class TokensService {
  private readonly logger = new Logger(TokensService.name);

  constructor(
    private readonly store: TokenStore,
    private readonly codes: CodeStore,
    private readonly config: AppConfig,
    @InjectMetric(METRIC.tokensIssued) private readonly issued: Counter<string>,
    @InjectMetric(METRIC.introspections) private readonly introspections: Counter<string>,
    @InjectMetric(METRIC.revocations) private readonly revocations: Counter<string>,
    @InjectMetric(METRIC.refreshReuse) private readonly refreshReuse: Counter<string>,
    @InjectMetric(METRIC.authorizationCodes) private readonly codeEvents: Counter<string>,
  ) {}

  /**
   * Issues an access token and, if asked, a refresh token starting a new rotation family that
   * ends REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS from now, however often it is rotated.
   * Throws ClientChangedError if the stored client no longer has `opts.clientGeneration`.
   */
  async issue(subject: TokenSubject, opts: IssueOptions): Promise<IssuedTokens> {
    assertTtl('accessTtlSeconds', opts.accessTtlSeconds);
    if (opts.withRefreshToken) assertTtl('refreshTtlSeconds', opts.refreshTtlSeconds);
    const accessToken = generateToken();
    const refreshToken = opts.withRefreshToken ? generateToken() : undefined;
    const issuedAt = nowSeconds();
    const absolute = this.config.oauth.refreshTokenAbsoluteTtlSeconds;
    const refreshTtlSeconds = Math.min(opts.refreshTtlSeconds, absolute);
    await this.store
      .issue({
        subject,
        grantType: opts.grantType,
        clientGeneration: opts.clientGeneration,
        accessDigest: digestToken(accessToken),
        refresh: refreshToken
          ? {
              digest: digestToken(refreshToken),
              familyId: newFamilyId(),
              familyExpiresAt: issuedAt + absolute,
            }
          : undefined,
        issuedAt,
        accessTtlSeconds: opts.accessTtlSeconds,
        refreshTtlSeconds,
        rateLimit: opts.rateLimit,
      })
      .catch((err: unknown) => this.noteClientChanged(err, subject.clientId));
    this.issued.inc({ grant_type: opts.grantType });
    return {
      accessToken,
      accessTokenExpiresAt: at(issuedAt + opts.accessTtlSeconds),
      ...(refreshToken
        ? { refreshToken, refreshTokenExpiresAt: at(issuedAt + refreshTtlSeconds) }
        : {}),
      scope: [...subject.scope],
    };
  }

  /**
   * Redeems a refresh token with rotation (RFC 9700 section 4.14.2): the presented token stops
   * working and a new access + refresh token pair of the same family is returned. The client
   * is checked as it is now: same generation, and no scope it has lost since the grant.
   * Re-presenting a just-rotated token within REFRESH_TOKEN_REUSE_GRACE_SECONDS gets another
   * pair; later it is reuse. Throws InvalidRefreshTokenError, RefreshTokenReusedError (the
   * family is revoked), ScopeExceedsGrantError, ClientChangedError (token.errors.ts).
   */
  async rotateRefreshToken(
    refreshToken: string,
    client: RefreshingClient,
    opts: RotationOptions,
  ): Promise<IssuedTokens> {
    assertTtl('accessTtlSeconds', opts.accessTtlSeconds);
    assertTtl('refreshTtlSeconds', opts.refreshTtlSeconds);
    const accessToken = generateToken();
    const newRefreshToken = generateToken();
    const nowMs = Date.now();
    const issuedAt = Math.floor(nowMs / 1000);
    const { scope, refreshTtlSeconds } = await this.store
      .rotate({
        presentedDigest: digestToken(refreshToken),
        client,
        newAccessDigest: digestToken(accessToken),
        newRefreshDigest: digestToken(newRefreshToken),
        scope: opts.scope,
        nowMs,
        accessTtlSeconds: opts.accessTtlSeconds,
        refreshTtlSeconds: opts.refreshTtlSeconds,
        reuseGraceSeconds: this.config.oauth.refreshTokenReuseGraceSeconds,
        absoluteTtlSeconds: this.config.oauth.refreshTokenAbsoluteTtlSeconds,
        rateLimit: opts.rateLimit,
      })
      .catch((err: unknown) => {
        if (err instanceof RefreshTokenReusedError) {
          this.refreshReuse.inc();
          // Token values are never logged; the client id is enough to start an investigation.
          this.logger.warn(
            `refresh token reuse detected for client ${client.id}: token family revoked`,
          );
        }
        return this.noteClientChanged(err, client.id);
      });
    this.issued.inc({ grant_type: 'refresh_token' });
    return {
      accessToken,
      accessTokenExpiresAt: at(issuedAt + opts.accessTtlSeconds),
      refreshToken: newRefreshToken,
      refreshTokenExpiresAt: at(issuedAt + refreshTtlSeconds),
      scope,
    };
  }

  /**
   * The live token's record (RFC 7662 section 2.2), or null if unknown, expired, revoked or
   * rotated. Writes nothing to Redis (bearer checks call it on every request).
   */
  async introspect(token: string, hint?: TokenKind): Promise<TokenInfo | null> {
    const info = await this.store.find(digestToken(token), hint, nowSeconds());
    this.introspections.inc({ result: info ? 'active' : 'inactive' });
    return info;
  }

  /**
   * RFC 7009 revocation on behalf of the authenticated `clientId`. A refresh token takes its
   * whole family (and its access tokens) with it. Another client's token is left alone.
   * `rateLimit` is charged in the same script (RateLimitedError over it, nothing revoked).
   */
  async revoke(
    token: string,
    clientId: string,
    hint?: TokenKind,
    rateLimit?: RateLimitCharge,
  ): Promise<{ found: TokenKind | null; otherClient: boolean }> {
    const result = await this.store.revoke(digestToken(token), clientId, hint, rateLimit);
    const revoked = result.found !== null && !result.otherClient;
    this.revocations.inc({ token_type: revoked ? (result.found as TokenKind) : 'none' });
    return result;
  }

  /**
   * Revokes every live token (access and refresh, every family) issued to `clientId`, in one
   * atomic step: client deletion and the admin API's "revoke all tokens". Returns how many
   * token records were revoked. Call it AFTER deleting (or re-creating) the client record:
   * issuance checks the stored generation atomically, so no token can appear afterwards.
   */
  async revokeAllForClient(clientId: string): Promise<number> {
    const revoked = await this.store.revokeAllForClient(clientId);
    this.logger.log(`revoked ${revoked} tokens of client ${clientId}`);
    return revoked;
  }

  /** Revokes every token issued for the user (TokenStore.revokeAllForUser). */
  async revokeAllForUser(userId: string): Promise<number> {
    const revoked = await this.store.revokeAllForUser(userId);
    this.logger.log(`revoked ${revoked} tokens of user ${userId}`);
    return revoked;
  }

  /** Revokes every token the user holds for the client (TokenStore.revokeForUserAndClient). */
  async revokeForUserAndClient(userId: string, clientId: string): Promise<number> {
    const revoked = await this.store.revokeForUserAndClient(userId, clientId);
    this.logger.log(`revoked ${revoked} tokens of user ${userId} for client ${clientId}`);
    return revoked;
  }

  /** Stores a new authorization code (RFC 6749 section 4.1.2) and returns its value once. */
  async saveAuthorizationCode(
    data: Omit<AuthorizationCodeData, 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<{ code: string; expiresAt: Date }> {
    assertTtl('ttlSeconds', ttlSeconds);
    const code = generateToken();
    const expiresAt = nowSeconds() + ttlSeconds;
    await this.codes.saveCode(digestToken(code), { ...data, expiresAt }, ttlSeconds);
    this.codeEvents.inc({ event: 'issued' });
    return { code, expiresAt: at(expiresAt) };
  }

  /**
   * Redeems a code and issues its tokens in one atomic step (CodeStore.redeemCode): single
   * use, bound to the client, the exact redirect_uri and the S256 challenge (a code issued
   * without one takes no verifier, one with a challenge needs it); the scope is the
   * consented one narrowed to the client's scopes now. A replay revokes every token the code
   * gave (RFC 6749 section 4.1.2) and throws CodeReplayedError.
   */
  async redeemAuthorizationCode(code: string, r: CodeRedemption): Promise<RedeemedCode> {
    assertTtl('accessTtlSeconds', r.accessTtlSeconds);
    const withRefresh = r.refreshTtlSeconds > 0;
    const accessToken = generateToken();
    const refreshToken = withRefresh ? generateToken() : undefined;
    const issuedAt = nowSeconds();
    const absolute = this.config.oauth.refreshTokenAbsoluteTtlSeconds;
    const refreshTtlSeconds = Math.min(r.refreshTtlSeconds, absolute);
    const { scope, userId } = await this.codes
      .redeemCode({
        codeDigest: digestToken(code),
        clientId: r.client.id,
        clientGeneration: r.client.generation,
        clientScopes: r.client.scopes,
        redirectUri: r.redirectUri,
        verifierChallenge: r.codeVerifier === undefined ? '' : pkceChallenge(r.codeVerifier),
        nowSeconds: issuedAt,
        accessDigest: digestToken(accessToken),
        accessTtlSeconds: r.accessTtlSeconds,
        refresh: refreshToken
          ? { digest: digestToken(refreshToken), ttlSeconds: refreshTtlSeconds }
          : undefined,
        familyId: newFamilyId(),
        familyExpiresAt: issuedAt + absolute,
        rateLimit: r.rateLimit,
      })
      .catch((err: unknown) => {
        if (err instanceof CodeReplayedError) {
          this.codeEvents.inc({ event: 'replayed' });
          this.logger.warn(`authorization code replayed by client ${r.client.id}: tokens revoked`);
        }
        return this.noteClientChanged(err, r.client.id);
      });
    this.codeEvents.inc({ event: 'redeemed' });
    this.issued.inc({ grant_type: 'authorization_code' });
    return {
      accessToken,
      accessTokenExpiresAt: at(issuedAt + r.accessTtlSeconds),
      ...(refreshToken
        ? { refreshToken, refreshTokenExpiresAt: at(issuedAt + refreshTtlSeconds) }
        : {}),
      scope,
      ...(userId ? { userId } : {}),
    };
  }

  /** The `auth_stats` counters (fields documented on TokenStore). */
  async stats(): Promise<Record<string, number>> {
    return this.store.stats();
  }

  /**
   * Drains up to `batch` expired entries from the legacy global cleanup index (nothing adds
   * to it any more); a job may call it until it returns less than `batch`, then stop.
   */
  async cleanupExpired(batch = 500): Promise<number> {
    const size = Math.min(Math.max(Math.floor(batch), 1), MAX_CLEANUP_BATCH);
    return this.store.cleanupExpired(Date.now(), size);
  }

  /** Logs a refused issuance to a changed client, and rethrows every error. */
  private noteClientChanged(err: unknown, clientId: string): never {
    if (err instanceof ClientChangedError) {
      this.logger.warn(`client ${clientId} was deleted or re-created: no token issued`);
    }
    throw err;
  }
}
