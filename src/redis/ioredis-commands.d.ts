/**
 * Types for the Lua commands registered by script-loader.ts. Add one signature per
 * `src/redis/scripts/<name>-<numKeys>.lua`, keys first, then ARGV.
 */
import 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /**
     * scripts/issueTokens-8.lua: access (+ refresh, family) token records; 1 or -1/-2, or
     * [-7, retry after ms] when the client is over its rate limit.
     */
    issueTokens(
      accessKey: RedisKey,
      refreshKey: RedisKey,
      familyKey: RedisKey,
      clientKey: RedisKey,
      clientTokensKey: RedisKey,
      statsKey: RedisKey,
      userTokensKey: RedisKey,
      rateLimitKey: RedisKey,
      clientId: string,
      userId: string,
      scope: string,
      grantType: string,
      nowSeconds: number,
      accessTtlSeconds: number,
      refreshTtlSeconds: number,
      familyId: string,
      familyExpiresAt: number,
      clientGeneration: string,
      rateLimit: number,
      rateLimitWindowMs: number,
    ): Result<number | [number, number], Context>;
    /**
     * scripts/rotateRefreshToken-8.lua: [new access scope, new refresh TTL], or -1..-6, -8, or
     * [-7, retry after ms] when the client is over its rate limit.
     */
    rotateRefreshToken(
      refreshKey: RedisKey,
      blacklistKey: RedisKey,
      newAccessKey: RedisKey,
      newRefreshKey: RedisKey,
      clientKey: RedisKey,
      clientTokensKey: RedisKey,
      statsKey: RedisKey,
      rateLimitKey: RedisKey,
      clientId: string,
      nowMs: number,
      accessTtlSeconds: number,
      refreshTtlSeconds: number,
      scope: string,
      allowedScopes: string,
      clientGeneration: string,
      reuseGraceMs: number,
      absoluteTtlSeconds: number,
      familyPrefix: string,
      accessPrefix: string,
      refreshPrefix: string,
      blacklistPrefix: string,
      userTokensPrefix: string,
      rateLimit: number,
      rateLimitWindowMs: number,
      userPrefix: string,
    ): Result<[string | number, number] | number, Context>;
    /** scripts/undoRotation-5.lua: 1 if a failed rotation was undone, else 0. */
    undoRotation(
      presentedKey: RedisKey,
      newAccessKey: RedisKey,
      newRefreshKey: RedisKey,
      clientTokensKey: RedisKey,
      statsKey: RedisKey,
      familyPrefix: string,
    ): Result<number, Context>;
    /**
     * scripts/revokeToken-6.lua: [kind found or '', 1 if another client's token], or
     * [-7, retry after ms] when the caller is over its rate limit.
     */
    revokeToken(
      firstKey: RedisKey,
      secondKey: RedisKey,
      blacklistKey: RedisKey,
      clientTokensKey: RedisKey,
      statsKey: RedisKey,
      rateLimitKey: RedisKey,
      clientId: string,
      familyPrefix: string,
      accessPrefix: string,
      refreshPrefix: string,
      blacklistPrefix: string,
      rateLimit: number,
      rateLimitWindowMs: number,
    ): Result<[string | number, number], Context>;
    /** scripts/chargeRateLimit-1.lua: [allowed 1/0, remaining, reset ms, retry after ms]. */
    chargeRateLimit(
      rateLimitKey: RedisKey,
      limit: number,
      windowMs: number,
    ): Result<[number, number, number, number], Context>;
    /** scripts/revokeUserTokens-1.lua: number of token records revoked. */
    revokeUserTokens(
      userTokensKey: RedisKey,
      familyPrefix: string,
      accessPrefix: string,
      refreshPrefix: string,
      blacklistPrefix: string,
    ): Result<number, Context>;
    /** scripts/revokeClientTokens-1.lua: number of token records revoked. */
    revokeClientTokens(
      clientTokensKey: RedisKey,
      familyPrefix: string,
      accessPrefix: string,
      refreshPrefix: string,
      blacklistPrefix: string,
    ): Result<number, Context>;
    /** scripts/introspectToken-3.lua (read-only): the live record as a flat list, or null. */
    introspectToken(
      firstKey: RedisKey,
      secondKey: RedisKey,
      blacklistKey: RedisKey,
      nowSeconds: number,
    ): Result<string[] | null, Context>;
    /** scripts/saveCode-1.lua: 1, or -1 if the code key exists. */
    saveCode(
      codeKey: RedisKey,
      ttlSeconds: number,
      ...fieldValues: string[]
    ): Result<number, Context>;
    /** scripts/redeemCode-8.lua: [granted scope, user id] once, or -1..-8 (-2: replay), or [-7, retry ms] (rate limited). */
    redeemCode(
      codeKey: RedisKey,
      accessKey: RedisKey,
      refreshKey: RedisKey,
      familyKey: RedisKey,
      clientKey: RedisKey,
      clientTokensKey: RedisKey,
      statsKey: RedisKey,
      rateLimitKey: RedisKey,
      clientId: string,
      redirectUri: string,
      verifierChallenge: string,
      nowSeconds: number,
      accessTtlSeconds: number,
      refreshTtlSeconds: number,
      familyId: string,
      familyExpiresAt: number,
      clientGeneration: string,
      clientScopes: string,
      userPrefix: string,
      userTokensPrefix: string,
      familyPrefix: string,
      accessPrefix: string,
      refreshPrefix: string,
      blacklistPrefix: string,
      rateLimit: number,
      rateLimitWindowMs: number,
    ): Result<[string, string] | number, Context>;
    /** scripts/cleanupTokens-1.lua: expired entries removed from the legacy cleanup index. */
    cleanupTokens(cleanupKey: RedisKey, nowMs: number, batch: number): Result<number, Context>;
    /** scripts/trimExpiredIndex-1.lua: expired entries dropped from one index (at most `limit`). */
    trimExpiredIndex(indexKey: RedisKey, nowMs: number, limit: number): Result<number, Context>;
    /** scripts/saveClient-2.lua: create-if-absent / update-if-present + publish; 1 or -1/-2. */
    saveClient(
      clientKey: RedisKey,
      indexKey: RedisKey,
      channel: string,
      ...args: Array<string | number>
    ): Result<number, Context>;
    /** scripts/rotateClientSecret-1.lua: keeps the old hash for the grace period; 1 or -2/-3. */
    rotateClientSecret(
      clientKey: RedisKey,
      secretHash: string,
      previousValidUntilMs: string,
      updatedAt: string,
      channel: string,
      clientId: string,
    ): Result<number, Context>;
    /** scripts/createUser-3.lua: user record + unique username index; 1 or -1/-2. */
    createUser(
      userKey: RedisKey,
      usernameKey: RedisKey,
      indexKey: RedisKey,
      userId: string,
      ...fieldValues: string[]
    ): Result<number, Context>;
    /** scripts/updateUser-1.lua: update-if-present; 1 or -2. */
    updateUser(userKey: RedisKey, ...args: Array<string | number>): Result<number, Context>;
    /** scripts/deleteUser-3.lua: 1 deleted, 0 absent. */
    deleteUser(
      userKey: RedisKey,
      usernameKey: RedisKey,
      indexKey: RedisKey,
      userId: string,
    ): Result<number, Context>;
    /** scripts/createSession-3.lua: [TTL ms, 1 if a previous session was ended], or -1/-2. */
    createSession(
      sessionKey: RedisKey,
      userSessionsKey: RedisKey,
      previousKey: RedisKey,
      nowMs: number,
      ttlMs: number,
      previous: 'none' | 'replace' | 'rotate',
      userSessionsPrefix: string,
      userId: string,
      ...fieldValues: string[]
    ): Result<[number, number] | number, Context>;
    /** scripts/updateSession-1.lua: [TTL ms, ...field/value list] of the live session, or -1. */
    updateSession(
      sessionKey: RedisKey,
      ...fieldValues: string[]
    ): Result<Array<number | string> | number, Context>;
    /** scripts/endSession-1.lua: the user id of the ended session, or ''. */
    endSession(
      sessionKey: RedisKey,
      userSessionsPrefix: string,
      nowMs: number,
      expectedUserId: string,
    ): Result<string, Context>;
    /** scripts/grantConsent-1.lua: the client's granted scopes after adding these. */
    grantConsent(consentKey: RedisKey, clientId: string, scopes: string): Result<string, Context>;
    /** scripts/revokeUserClientTokens-1.lua: number of token records revoked. */
    revokeUserClientTokens(
      userTokensKey: RedisKey,
      clientId: string,
      familyPrefix: string,
      accessPrefix: string,
      refreshPrefix: string,
      blacklistPrefix: string,
      clientTokensPrefix: string,
    ): Result<number, Context>;
    /** scripts/endUserSessions-1.lua: number of sessions ended. */
    endUserSessions(userSessionsKey: RedisKey, userId: string): Result<number, Context>;
    /**
     * scripts/getCacheEntry-4.lua, binary reply (the value is bytes): 0 on a miss, else
     * [1 | 2 (If-None-Match matched), etag, content_type, updated_at, value].
     */
    getCacheEntryBuffer(
      entryKey: RedisKey,
      lruKey: RedisKey,
      expiryKey: RedisKey,
      statsKey: RedisKey,
      cacheKey: string,
      service: string,
      ifNoneMatch: string,
    ): Result<number | [number, Buffer, Buffer, Buffer, Buffer], Context>;
    /** scripts/putCacheEntry-5.lua: [1 if created else 0, live entries evicted]. */
    putCacheEntry(
      entryKey: RedisKey,
      lruKey: RedisKey,
      expiryKey: RedisKey,
      statsKey: RedisKey,
      servicesKey: RedisKey,
      cacheKey: string,
      service: string,
      entryPrefix: string,
      ttlMs: number,
      maxEntries: number,
      value: Buffer,
      contentType: string,
      etag: string,
      updatedAt: string,
    ): Result<[number, number], Context>;
    /** scripts/readCacheStats-3.lua: [live entries, hits, misses, evictions]. */
    readCacheStats(
      expiryKey: RedisKey,
      statsKey: RedisKey,
      lruKey: RedisKey,
      service: string,
    ): Result<[number, number, number, number], Context>;
    /** scripts/cleanupCacheIndex-2.lua: index members of expired entries removed. */
    cleanupCacheIndex(
      servicesKey: RedisKey,
      metricsKey: RedisKey,
      batch: number,
      lruPrefix: string,
      expiryPrefix: string,
    ): Result<number, Context>;
  }
}
