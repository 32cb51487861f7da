import { Injectable } from '@nestjs/common';
import { DurableWriter } from '../redis/durable-writer';
import { keys } from '../redis/keys';
import { chargeArgs, throwIfRateLimited } from '../redis/rate-limit';
import { storageCall } from '../redis/redis-unavailable';
import { CodeRedemptionRecord, CodeStore } from './code.store';
import { checkTokenReply } from './token.errors';
import { codeFields, splitScope } from './token-record';
import type { AuthorizationCodeData } from './token.types';

/**
 * Key prefixes (keys.ts builders with an empty id) for keys redeemCode-8.lua names from the
 * code's record: the user, the user's token index, the family and its members.
 */
const REDEEM_PREFIXES = [
  keys.user(''),
  keys.userTokens(''),
  keys.tokenFamily(''),
  keys.accessToken(''),
  keys.refreshToken(''),
  keys.blacklist(''),
] as const;

/** CodeStore on the auth DB through saveCode-1.lua and redeemCode-8.lua. */
@Injectable()
export class RedisCodeStore extends CodeStore {
  constructor(private readonly writer: DurableWriter) {
    super();
  }

  saveCode(digest: string, data: AuthorizationCodeData, ttlSeconds: number): Promise<void> {
    return storageCall(async () => {
      const reply = await this.writer.write<number>((p) =>
        p.saveCode(keys.code(digest), ttlSeconds, ...codeFields(data)),
      );
      checkTokenReply('saveCode', reply);
    });
  }

  redeemCode(r: CodeRedemptionRecord): Promise<{ scope: readonly string[]; userId?: string }> {
    const [limitKey, limit, windowMs] = chargeArgs(r.rateLimit, r.clientId);
    return storageCall(async () => {
      const reply = await this.writer.write<[string, string] | [number, number] | number>((p) =>
        p.redeemCode(
          keys.code(r.codeDigest),
          keys.accessToken(r.accessDigest),
          keys.refreshToken(r.refresh?.digest ?? r.accessDigest),
          keys.tokenFamily(r.familyId),
          keys.client(r.clientId),
          keys.clientTokens(r.clientId),
          keys.authStats(),
          limitKey,
          r.clientId,
          r.redirectUri,
          r.verifierChallenge,
          r.nowSeconds,
          r.accessTtlSeconds,
          r.refresh?.ttlSeconds ?? 0,
          r.familyId,
          r.familyExpiresAt,
          r.clientGeneration,
          r.clientScopes.join(' '),
          ...REDEEM_PREFIXES,
          limit,
          windowMs,
        ),
      );
      throwIfRateLimited(reply, r.rateLimit);
      const [scope, userId] = checkTokenReply('redeemCode', reply as [string, string] | number);
      return { scope: splitScope(scope), ...(userId ? { userId } : {}) };
    });
  }
}
