import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { DurableWriter } from '../redis/durable-writer';
import { keys } from '../redis/keys';
import { chargeArgs, RateLimitCharge, throwIfRateLimited } from '../redis/rate-limit';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { isRedisOutage, storageCall } from '../redis/redis-unavailable';
import { PendingUndos } from './pending-undos';
import { checkTokenReply } from './token.errors';
import { splitScope, toFields, toTokenInfo } from './token-record';
import type { TokenInfo, TokenKind } from './token.types';
import {
  NewTokenRecords,
  RevocationResult,
  Rotation,
  RotationRequest,
  TokenStore,
} from './token.store';

/**
 * Key prefixes (keys.ts builders with an empty id) for keys that only the Lua scripts can
 * name: family sets and their members. Passed through ARGV, as BullMQ passes its prefixes.
 */
const PREFIXES = [
  keys.tokenFamily(''),
  keys.accessToken(''),
  keys.refreshToken(''),
  keys.blacklist(''),
] as const;

/** The two keys a digest can live under, the hinted kind first (RFC 7009 section 2.1). */
function lookupOrder(digest: string, hint: TokenKind | undefined): [string, string] {
  const access = keys.accessToken(digest);
  const refresh = keys.refreshToken(digest);
  return hint === 'refresh_token' ? [refresh, access] : [access, refresh];
}

/**
 * TokenStore on the auth DB through the Lua scripts of src/redis/scripts. Every call goes
 * through storageCall, so a Redis outage leaves this class as RedisUnavailableException.
 */
@Injectable()
export class RedisTokenStore extends TokenStore implements OnModuleDestroy {
  private readonly logger = new Logger(RedisTokenStore.name);
  /** Undos of failed rotations that Redis could not take yet (see undoRotation). */
  private readonly pendingUndos = new PendingUndos((r) => this.runUndo(r));

  constructor(
    @Inject(REDIS_AUTH) private readonly redis: Redis,
    private readonly writer: DurableWriter,
  ) {
    super();
  }

  issue(r: NewTokenRecords): Promise<void> {
    const clientId = r.subject.clientId;
    const [limitKey, limit, windowMs] = chargeArgs(r.rateLimit, clientId);
    return storageCall(async () => {
      const reply = await this.writer.write<number | [number, number]>((p) =>
        p.issueTokens(
          keys.accessToken(r.accessDigest),
          keys.refreshToken(r.refresh?.digest ?? r.accessDigest),
          keys.tokenFamily(r.refresh?.familyId ?? r.accessDigest),
          keys.client(clientId),
          keys.clientTokens(clientId),
          keys.authStats(),
          keys.userTokens(r.subject.userId ?? ''),
          limitKey,
          clientId,
          r.subject.userId ?? '',
          r.subject.scope.join(' '),
          r.grantType,
          r.issuedAt,
          r.accessTtlSeconds,
          r.refresh ? r.refreshTtlSeconds : 0,
          r.refresh?.familyId ?? '',
          r.refresh?.familyExpiresAt ?? 0,
          r.clientGeneration,
          limit,
          windowMs,
        ),
      );
      throwIfRateLimited(reply, r.rateLimit);
      checkTokenReply('issueTokens', reply);
    });
  }

  onModuleDestroy(): void {
    this.pendingUndos.stop();
  }

  rotate(r: RotationRequest): Promise<Rotation> {
    const [limitKey, limit, windowMs] = chargeArgs(r.rateLimit, r.client.id);
    return storageCall(async () => {
      // A retry after a failed rotation whose undo is still pending: undo first (or 503).
      if (this.pendingUndos.size > 0) await this.pendingUndos.settle(r.presentedDigest);
      let reply: [string | number, number] | number;
      try {
        reply = await this.writer.write<[string | number, number] | number>((p) =>
          p.rotateRefreshToken(
            keys.refreshToken(r.presentedDigest),
            keys.blacklist(r.presentedDigest),
            keys.accessToken(r.newAccessDigest),
            keys.refreshToken(r.newRefreshDigest),
            keys.client(r.client.id),
            keys.clientTokens(r.client.id),
            keys.authStats(),
            limitKey,
            r.client.id,
            r.nowMs,
            r.accessTtlSeconds,
            r.refreshTtlSeconds,
            (r.scope ?? []).join(' '),
            r.client.scopes.join(' '),
            r.client.generation,
            r.reuseGraceSeconds * 1000,
            r.absoluteTtlSeconds,
            ...PREFIXES,
            keys.userTokens(''),
            limit,
            windowMs,
            keys.user(''),
          ),
        );
      } catch (err) {
        if (isRedisOutage(err)) await this.undoRotation(r);
        throw err;
      }
      throwIfRateLimited(reply, r.rateLimit);
      const [scope, refreshTtlSeconds] = checkTokenReply('rotateRefreshToken', reply);
      return { scope: splitScope(String(scope)), refreshTtlSeconds: Number(refreshTtlSeconds) };
    });
  }

  find(digest: string, hint: TokenKind | undefined, nowSeconds: number): Promise<TokenInfo | null> {
    const [first, second] = lookupOrder(digest, hint);
    return storageCall(async () => {
      const record = await this.redis.introspectToken(
        first,
        second,
        keys.blacklist(digest),
        nowSeconds,
      );
      return record ? toTokenInfo(toFields(record)) : null;
    });
  }

  revoke(
    digest: string,
    clientId: string,
    hint: TokenKind | undefined,
    rateLimit?: RateLimitCharge,
  ): Promise<RevocationResult> {
    const [first, second] = lookupOrder(digest, hint);
    const [limitKey, limit, windowMs] = chargeArgs(rateLimit, clientId);
    return storageCall(async () => {
      const reply = await this.writer.write<[string | number, number]>((p) =>
        p.revokeToken(
          first,
          second,
          keys.blacklist(digest),
          keys.clientTokens(clientId),
          keys.authStats(),
          limitKey,
          clientId,
          ...PREFIXES,
          limit,
          windowMs,
        ),
      );
      throwIfRateLimited(reply, rateLimit);
      const [kind, otherClient] = reply;
      return { found: kind === '' ? null : (kind as TokenKind), otherClient: otherClient === 1 };
    });
  }

  revokeAllForClient(clientId: string): Promise<number> {
    return storageCall(() =>
      this.writer.write<number>((p) =>
        p.revokeClientTokens(keys.clientTokens(clientId), ...PREFIXES),
      ),
    );
  }

  revokeAllForUser(userId: string): Promise<number> {
    return storageCall(() =>
      this.writer.write<number>((p) => p.revokeUserTokens(keys.userTokens(userId), ...PREFIXES)),
    );
  }

  revokeForUserAndClient(userId: string, clientId: string): Promise<number> {
    return storageCall(() =>
      this.writer.write<number>((p) =>
        p.revokeUserClientTokens(
          keys.userTokens(userId),
          clientId,
          ...PREFIXES,
          keys.clientTokens(''),
        ),
      ),
    );
  }

  stats(): Promise<Record<string, number>> {
    return storageCall(async () => {
      const raw = await this.redis.hgetall(keys.authStats());
      return Object.fromEntries(
        Object.entries(raw).map(([field, value]) => [field, Number(value)]),
      );
    });
  }

  cleanupExpired(nowMs: number, batch: number): Promise<number> {
    return storageCall(() => this.redis.cleanupTokens(keys.tokenCleanup(), nowMs, batch));
  }

  /**
   * The rotation's durable write failed, but the script may have run on the master: the
   * presented token would then be rotated and the client's retry taken for reuse, revoking the
   * family. Undo it on the normal connection before answering 503. The new pair was never
   * delivered, so deleting it loses nothing.
   * If Redis cannot be reached for this either (the master died after running the rotation,
   * which had already streamed to the replicas), the undo is kept and applied as soon as Redis
   * answers again, on the promoted replica (PendingUndos). What remains: a retry that reaches
   * another instance first is taken for reuse (REFRESH_TOKEN_REUSE_GRACE_SECONDS > 0 covers a
   * prompt one), and a failover between the rotation and the undo can promote a replica holding
   * the rotation but not the undo.
   */
  private async undoRotation(r: RotationRequest): Promise<void> {
    try {
      await this.runUndo(r);
    } catch (err) {
      if (isRedisOutage(err)) this.pendingUndos.add(r);
      else this.logger.warn(`could not undo a failed rotation: ${(err as Error).message}`);
    }
  }

  private runUndo(r: RotationRequest): Promise<number> {
    return this.redis.undoRotation(
      keys.refreshToken(r.presentedDigest),
      keys.accessToken(r.newAccessDigest),
      keys.refreshToken(r.newRefreshDigest),
      keys.clientTokens(r.client.id),
      keys.authStats(),
      keys.tokenFamily(''),
    );
  }
}
