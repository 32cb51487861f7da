import { keys } from '../../../src/redis/keys';
import { digestToken } from '../../../src/tokens/token-crypto';
import {
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
} from '../../../src/tokens/token.errors';
import type { IssueOptions, RefreshingClient, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import { registerClient, registerUser, startTokens, TokensHarness } from './tokens-harness';

const topology = useTopology({ mode: 'standalone' });
const subject: TokenSubject = { clientId: 'app', userId: 'u1', scope: ['openid'] };
const rotation = { accessTtlSeconds: 900, refreshTtlSeconds: 3600 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TokensService with these settings, on this file's Redis, and a freshly registered client. */
function useTokens(env: Record<string, string>) {
  const ctx = {} as { h: TokensHarness; app: RefreshingClient; opts: IssueOptions };
  beforeAll(async () => {
    ctx.h = await startTokens({ ...topology().env(), ...env });
    ctx.app = await registerClient(ctx.h.redis, 'app', ['openid']);
    await registerUser(ctx.h.redis, 'u1');
    ctx.opts = {
      grantType: 'authorization_code',
      withRefreshToken: true,
      accessTtlSeconds: 900,
      refreshTtlSeconds: 3600,
      clientGeneration: ctx.app.generation,
    };
  });
  afterAll(() => ctx.h?.close());
  return ctx;
}

describe('strict reuse detection (REFRESH_TOKEN_REUSE_GRACE_SECONDS=0)', () => {
  const t = useTokens({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' });

  it('lets exactly one of twenty concurrent refreshes win and revokes the family', async () => {
    const first = await t.h.tokens.issue(subject, t.opts);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost).toHaveLength(19);
    // The first loser revokes the family; later ones find nothing left to rotate.
    expect(lost[0].reason).toBeInstanceOf(RefreshTokenReusedError);
    lost.forEach((r) =>
      expect([RefreshTokenReusedError, InvalidRefreshTokenError]).toContain(r.reason.constructor),
    );
    const winner = (
      won[0] as PromiseFulfilledResult<{ accessToken: string; refreshToken?: string }>
    ).value;
    expect(await t.h.tokens.introspect(winner.accessToken)).toBeNull();
    expect(await t.h.tokens.introspect(winner.refreshToken!)).toBeNull();
  });
});

describe('reuse grace period (REFRESH_TOKEN_REUSE_GRACE_SECONDS=5)', () => {
  const t = useTokens({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '5' });

  it('lets five concurrent refreshes of one token all succeed and keeps the family alive', async () => {
    const first = await t.h.tokens.issue(subject, t.opts);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation),
      ),
    );
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(5);
    for (const pair of results) {
      expect(await t.h.tokens.introspect(pair.accessToken)).not.toBeNull();
      expect(await t.h.tokens.introspect(pair.refreshToken!)).not.toBeNull();
    }
    expect(await t.h.tokens.introspect(first.accessToken)).not.toBeNull();
    // The presented token itself is rotated: it is no longer active.
    expect(await t.h.tokens.introspect(first.refreshToken!)).toBeNull();
    const stored = await t.h.redis.hgetall(keys.refreshToken(digestToken(first.refreshToken!)));
    expect(stored).toMatchObject({ rotated: '1' });
    expect(Number(stored.rotated_at)).toBeGreaterThan(Date.now() - 5000);
  });

  it('revokes the family when a rotated token comes back after the window', async () => {
    const first = await t.h.tokens.issue(subject, t.opts);
    const second = await t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation);
    // Move the rotation 6 s into the past rather than waiting for it.
    const presented = keys.refreshToken(digestToken(first.refreshToken!));
    const rotatedAt = Number(await t.h.redis.hget(presented, 'rotated_at'));
    await t.h.redis.hset(presented, 'rotated_at', rotatedAt - 6000);
    await expect(
      t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation),
    ).rejects.toThrow(RefreshTokenReusedError);
    expect(await t.h.tokens.introspect(second.accessToken)).toBeNull();
    expect(await t.h.tokens.introspect(second.refreshToken!)).toBeNull();
  });

  it('gives nothing for a just-rotated token once its family was revoked', async () => {
    const first = await t.h.tokens.issue(subject, t.opts);
    const second = await t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation);
    await t.h.tokens.revoke(second.refreshToken!, 'app');
    await expect(
      t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation),
    ).rejects.toThrow(InvalidRefreshTokenError);
  });
});

describe('absolute family lifetime (REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS=100)', () => {
  const t = useTokens({
    REFRESH_TOKEN_TTL_SECONDS: '60',
    REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: '100',
  });

  it('caps the first refresh token and every rotated one at the family end', async () => {
    const first = await t.h.tokens.issue(subject, { ...t.opts, refreshTtlSeconds: 3600 });
    const iat = first.accessTokenExpiresAt.getTime() - 900_000;
    expect(first.refreshTokenExpiresAt!.getTime() - iat).toBe(100_000);
    const key = keys.refreshToken(digestToken(first.refreshToken!));
    const familyExp = Number(await t.h.redis.hget(key, 'family_exp'));
    expect(familyExp * 1000).toBe(iat + 100_000);
    await sleep(1100);
    const second = await t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation);
    expect(second.refreshTokenExpiresAt!.getTime()).toBeLessThanOrEqual(familyExp * 1000);
    const secondKey = keys.refreshToken(digestToken(second.refreshToken!));
    expect(await t.h.redis.hget(secondKey, 'family_exp')).toBe(String(familyExp));
    expect(await t.h.redis.ttl(secondKey)).toBeLessThan(100);
  });

  it('refuses a refresh at or past the family end (invalid_grant)', async () => {
    const first = await t.h.tokens.issue(subject, t.opts);
    const second = await t.h.tokens.rotateRefreshToken(first.refreshToken!, t.app, rotation);
    const key = keys.refreshToken(digestToken(second.refreshToken!));
    await t.h.redis.hset(key, 'family_exp', Math.floor(Date.now() / 1000));
    await expect(
      t.h.tokens.rotateRefreshToken(second.refreshToken!, t.app, rotation),
    ).rejects.toThrow(InvalidRefreshTokenError);
    // Refused, not reuse: the family's access tokens live on until they expire.
    expect(await t.h.tokens.introspect(second.accessToken)).not.toBeNull();
  });
});
