import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DurableWriter } from '../redis/durable-writer';
import { keys } from '../redis/keys';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { checkScriptReply } from '../redis/script-errors';
import type { AuthorizationCodeData, TokenInfo, TokenKind } from './token.types';
import { codeFields, toCodeData, toFields, toTokenInfo } from './token-record';
import { NewTokenRecords, RevocationResult, RotationRequest, TokenStore } from './token.store';

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

/** TokenStore on the auth DB through the Lua scripts of src/redis/scripts. */
@Injectable()
export class RedisTokenStore extends TokenStore {
  constructor(
    @Inject(REDIS_AUTH) private readonly redis: Redis,
    private readonly writer: DurableWriter,
  ) {
    super();
  }

  async issue(r: NewTokenRecords): Promise<void> {
    const reply = await this.writer.write<number>((p) =>
      p.issueTokens(
        keys.accessToken(r.accessDigest),
        keys.refreshToken(r.refresh?.digest ?? r.accessDigest),
        keys.tokenFamily(r.refresh?.familyId ?? r.accessDigest),
        keys.tokenCleanup(),
        keys.authStats(),
        r.subject.clientId,
        r.subject.userId ?? '',
        r.subject.scope.join(' '),
        r.grantType,
        r.issuedAt,
        r.accessTtlSeconds,
        r.refresh ? r.refreshTtlSeconds : 0,
        r.refresh?.familyId ?? '',
      ),
    );
    checkScriptReply('issueTokens', reply);
  }

  async rotate(r: RotationRequest): Promise<string[]> {
    const reply = await this.writer.write<string | number>((p) =>
      p.rotateRefreshToken(
        keys.refreshToken(r.presentedDigest),
        keys.blacklist(r.presentedDigest),
        keys.accessToken(r.newAccessDigest),
        keys.refreshToken(r.newRefreshDigest),
        keys.tokenCleanup(),
        keys.authStats(),
        r.clientId,
        r.issuedAt,
        r.accessTtlSeconds,
        r.refreshTtlSeconds,
        (r.scope ?? []).join(' '),
        ...PREFIXES,
      ),
    );
    return checkScriptReply('rotateRefreshToken', reply).split(' ').filter(Boolean);
  }

  async find(
    digest: string,
    hint: TokenKind | undefined,
    nowSeconds: number,
  ): Promise<TokenInfo | null> {
    const [first, second] = lookupOrder(digest, hint);
    const record = await this.redis.introspectToken(
      first,
      second,
      keys.blacklist(digest),
      keys.authStats(),
      nowSeconds,
    );
    return record ? toTokenInfo(toFields(record)) : null;
  }

  async revoke(
    digest: string,
    clientId: string,
    hint: TokenKind | undefined,
  ): Promise<RevocationResult> {
    const [first, second] = lookupOrder(digest, hint);
    const [kind, otherClient] = await this.writer.write<[string, number]>((p) =>
      p.revokeToken(
        first,
        second,
        keys.blacklist(digest),
        keys.tokenCleanup(),
        keys.authStats(),
        clientId,
        ...PREFIXES,
      ),
    );
    return { found: kind === '' ? null : (kind as TokenKind), otherClient: otherClient === 1 };
  }

  async saveCode(digest: string, data: AuthorizationCodeData, ttlSeconds: number): Promise<void> {
    const reply = await this.writer.write<number>((p) =>
      p.saveCode(keys.code(digest), ttlSeconds, ...codeFields(data)),
    );
    checkScriptReply('saveCode', reply);
  }

  async consumeCode(digest: string): Promise<AuthorizationCodeData | null> {
    const record = await this.writer.write<string[] | null>((p) =>
      p.consumeCode(keys.code(digest)),
    );
    return record ? toCodeData(toFields(record)) : null;
  }

  async stats(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(keys.authStats());
    return Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)]));
  }

  async cleanupExpired(nowMs: number, batch: number): Promise<number> {
    return this.redis.cleanupTokens(keys.tokenCleanup(), nowMs, batch);
  }
}
