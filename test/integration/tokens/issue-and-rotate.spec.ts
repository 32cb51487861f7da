import { keys } from '../../../src/redis/keys';
import { digestToken } from '../../../src/tokens/token-crypto';
import {
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
} from '../../../src/tokens/token.errors';
import type { IssueOptions, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import { dumpAll, startTokens, TokensHarness } from './tokens-harness';

const topology = useTopology({ mode: 'standalone' });
let h: TokensHarness;

beforeAll(async () => {
  h = await startTokens(topology().env());
});
afterAll(() => h?.close());

const subject: TokenSubject = { clientId: 'app', userId: 'u1', scope: ['openid', 'profile'] };
const withRefresh: IssueOptions = {
  grantType: 'authorization_code',
  withRefreshToken: true,
  accessTtlSeconds: 900,
  refreshTtlSeconds: 604800,
};
const rotation = { accessTtlSeconds: 900, refreshTtlSeconds: 604800 };

describe('issuing tokens', () => {
  it('stores only digests: no plaintext token appears in any key or value', async () => {
    const issued = await h.tokens.issue(subject, withRefresh);
    const code = await h.tokens.saveAuthorizationCode(
      {
        ...subject,
        redirectUri: 'https://app/cb',
        codeChallenge: 'x'.repeat(43),
        codeChallengeMethod: 'S256',
      },
      600,
    );
    const everything = (await dumpAll(h.redis)).join('\n');
    for (const secret of [issued.accessToken, issued.refreshToken!, code.code]) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(everything).not.toContain(secret);
    }
    expect(await h.redis.exists(keys.accessToken(digestToken(issued.accessToken)))).toBe(1);
  });

  it('sets the configured TTLs on tokens, family and cleanup index', async () => {
    const issued = await h.tokens.issue(subject, withRefresh);
    const accessKey = keys.accessToken(digestToken(issued.accessToken));
    const refreshKey = keys.refreshToken(digestToken(issued.refreshToken!));
    const family = await h.redis.hget(refreshKey, 'family');
    expect(await h.redis.ttl(accessKey)).toBeGreaterThan(895);
    expect(await h.redis.ttl(accessKey)).toBeLessThanOrEqual(900);
    expect(await h.redis.ttl(refreshKey)).toBeGreaterThan(604795);
    expect(await h.redis.ttl(keys.tokenFamily(family!))).toBeGreaterThan(604795);
    expect(await h.redis.hget(accessKey, 'family')).toBe(family);
    const score = Number(await h.redis.zscore(keys.tokenCleanup(), accessKey));
    expect(score).toBe(issued.accessTokenExpiresAt.getTime());
  });

  it('issues a lone access token for client_credentials', async () => {
    const issued = await h.tokens.issue(
      { clientId: 'svc', scope: ['cache:read'] },
      { ...withRefresh, grantType: 'client_credentials', withRefreshToken: false },
    );
    expect(issued.refreshToken).toBeUndefined();
    const info = await h.tokens.introspect(issued.accessToken);
    expect(info).toMatchObject({ kind: 'access_token', clientId: 'svc', scope: ['cache:read'] });
    expect(info?.userId).toBeUndefined();
    expect(info?.familyId).toBeUndefined();
  });
});

describe('refresh token rotation', () => {
  it('issues a new pair and the old refresh token stops working', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    const second = await h.tokens.rotateRefreshToken(first.refreshToken!, 'app', rotation);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.scope).toEqual(['openid', 'profile']);
    expect(await h.tokens.introspect(second.accessToken)).toMatchObject({ userId: 'u1' });
    expect(await h.tokens.introspect(first.refreshToken!, 'refresh_token')).toBeNull();
    const third = await h.tokens.rotateRefreshToken(second.refreshToken!, 'app', rotation);
    expect(await h.tokens.introspect(third.refreshToken!, 'refresh_token')).toMatchObject({
      kind: 'refresh_token',
    });
  });

  it('revokes the whole family, newest access token included, when a rotated refresh token is reused', async () => {
    const reuseBefore = Number((await h.tokens.stats())['refresh_reuse'] ?? 0);
    const first = await h.tokens.issue(subject, withRefresh);
    const second = await h.tokens.rotateRefreshToken(first.refreshToken!, 'app', rotation);
    await expect(h.tokens.rotateRefreshToken(first.refreshToken!, 'app', rotation)).rejects.toThrow(
      RefreshTokenReusedError,
    );
    expect(await h.tokens.introspect(second.accessToken)).toBeNull();
    expect(await h.tokens.introspect(second.refreshToken!, 'refresh_token')).toBeNull();
    expect(await h.tokens.introspect(first.accessToken)).toBeNull();
    await expect(
      h.tokens.rotateRefreshToken(second.refreshToken!, 'app', rotation),
    ).rejects.toThrow(InvalidRefreshTokenError);
    expect(await h.redis.exists(keys.blacklist(digestToken(second.accessToken)))).toBe(1);
    expect((await h.tokens.stats())['refresh_reuse']).toBe(reuseBefore + 1);
  });

  it('lets exactly one of five concurrent rotations of the same refresh token win', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        h.tokens.rotateRefreshToken(first.refreshToken!, 'app', rotation),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(4);
    // The losers present a token that is already rotated: indistinguishable from theft.
    rejected.forEach((r) => expect(r.reason).toBeInstanceOf(RefreshTokenReusedError));
  });

  it('rejects unknown tokens and tokens presented by another client without revoking anything', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    await expect(h.tokens.rotateRefreshToken('nope', 'app', rotation)).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, 'other', rotation),
    ).rejects.toThrow(InvalidRefreshTokenError);
    await expect(h.tokens.rotateRefreshToken(first.accessToken, 'app', rotation)).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    expect(await h.tokens.introspect(first.accessToken)).not.toBeNull();
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, 'app', rotation),
    ).resolves.toBeDefined();
  });

  it('narrows the access token scope on request and refuses a wider one (RFC 6749 section 6)', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, 'app', {
        ...rotation,
        scope: ['openid', 'admin'],
      }),
    ).rejects.toThrow(ScopeExceedsGrantError);
    const narrowed = await h.tokens.rotateRefreshToken(first.refreshToken!, 'app', {
      ...rotation,
      scope: ['openid'],
    });
    expect(narrowed.scope).toEqual(['openid']);
    expect((await h.tokens.introspect(narrowed.accessToken))?.scope).toEqual(['openid']);
    expect((await h.tokens.introspect(narrowed.refreshToken!))?.scope).toEqual([
      'openid',
      'profile',
    ]);
  });

  it('drops expired members from the family at rotation', async () => {
    const first = await h.tokens.issue(subject, { ...withRefresh, accessTtlSeconds: 1 });
    const family = (await h.tokens.introspect(first.refreshToken!))!.familyId!;
    await new Promise((r) => setTimeout(r, 2100));
    const second = await h.tokens.rotateRefreshToken(first.refreshToken!, 'app', rotation);
    const members = await h.redis.smembers(keys.tokenFamily(family));
    expect(members.sort()).toEqual(
      [
        keys.accessToken(digestToken(second.accessToken)),
        keys.refreshToken(digestToken(second.refreshToken!)),
      ].sort(),
    );
  });
});
