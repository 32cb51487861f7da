import { keys } from '../../../src/redis/keys';
import { digestToken } from '../../../src/tokens/token-crypto';
import type { IssueOptions, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import { startTokens, TokensHarness } from './tokens-harness';

const topology = useTopology({ mode: 'standalone' });
let h: TokensHarness;

beforeAll(async () => {
  h = await startTokens(topology().env());
});
afterAll(() => h?.close());

const subject: TokenSubject = { clientId: 'app', userId: 'u1', scope: ['openid'] };
const opts: IssueOptions = {
  grantType: 'authorization_code',
  withRefreshToken: true,
  accessTtlSeconds: 900,
  refreshTtlSeconds: 604800,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('introspection', () => {
  it('reports a live access token as active with its record', async () => {
    const issued = await h.tokens.issue(subject, opts);
    const info = await h.tokens.introspect(issued.accessToken, 'access_token');
    expect(info).toMatchObject({
      kind: 'access_token',
      clientId: 'app',
      userId: 'u1',
      scope: ['openid'],
    });
    expect(info!.expiresAt - info!.issuedAt).toBe(900);
    expect(await h.tokens.introspect(issued.refreshToken!, 'access_token')).toMatchObject({
      kind: 'refresh_token',
    });
  });

  it('reports unknown, expired and revoked tokens as inactive', async () => {
    expect(await h.tokens.introspect('unknown-token')).toBeNull();
    const short = await h.tokens.issue(subject, {
      ...opts,
      withRefreshToken: false,
      accessTtlSeconds: 1,
    });
    expect(await h.tokens.introspect(short.accessToken)).not.toBeNull();
    await sleep(2100);
    expect(await h.tokens.introspect(short.accessToken)).toBeNull();
    const revoked = await h.tokens.issue(subject, opts);
    await h.tokens.revoke(revoked.accessToken, 'app');
    expect(await h.tokens.introspect(revoked.accessToken)).toBeNull();
  });
});

describe('revocation (RFC 7009)', () => {
  it.each([undefined, 'access_token', 'refresh_token'] as const)(
    'revokes an access token (hint %s) and blacklists it for its remaining life',
    async (hint) => {
      const issued = await h.tokens.issue(subject, opts);
      expect(await h.tokens.revoke(issued.accessToken, 'app', hint)).toEqual({
        found: 'access_token',
        otherClient: false,
      });
      expect(await h.tokens.introspect(issued.accessToken)).toBeNull();
      const ttl = await h.redis.ttl(keys.blacklist(digestToken(issued.accessToken)));
      expect(ttl).toBeGreaterThan(895);
      expect(ttl).toBeLessThanOrEqual(900);
      // An access token's revocation leaves the refresh token alone.
      expect(await h.tokens.introspect(issued.refreshToken!)).not.toBeNull();
    },
  );

  it.each([undefined, 'access_token', 'refresh_token'] as const)(
    'revokes a refresh token (hint %s) with its whole family',
    async (hint) => {
      const first = await h.tokens.issue(subject, opts);
      const second = await h.tokens.rotateRefreshToken(first.refreshToken!, 'app', opts);
      expect(await h.tokens.revoke(second.refreshToken!, 'app', hint)).toEqual({
        found: 'refresh_token',
        otherClient: false,
      });
      for (const token of [first.accessToken, second.accessToken, second.refreshToken!]) {
        expect(await h.tokens.introspect(token)).toBeNull();
      }
      const ttl = await h.redis.ttl(keys.blacklist(digestToken(second.refreshToken!)));
      expect(ttl).toBeGreaterThan(604795);
    },
  );

  it('does nothing when another client revokes the token', async () => {
    const issued = await h.tokens.issue(subject, opts);
    expect(await h.tokens.revoke(issued.refreshToken!, 'intruder')).toEqual({
      found: 'refresh_token',
      otherClient: true,
    });
    expect(await h.tokens.introspect(issued.refreshToken!)).not.toBeNull();
    expect(await h.tokens.introspect(issued.accessToken)).not.toBeNull();
  });

  it('answers found: null for an unknown token', async () => {
    expect(await h.tokens.revoke('never-issued', 'app')).toEqual({
      found: null,
      otherClient: false,
    });
  });
});

describe('authorization codes', () => {
  const code = {
    clientId: 'app',
    userId: 'u1',
    scope: ['openid', 'profile'],
    redirectUri: 'https://app.example/cb',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256' as const,
  };

  it('can be consumed exactly once, even by concurrent requests', async () => {
    const saved = await h.tokens.saveAuthorizationCode(code, 600);
    expect(await h.redis.ttl(keys.code(digestToken(saved.code)))).toBeGreaterThan(595);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.tokens.consumeAuthorizationCode(saved.code)),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toEqual([{ ...code, expiresAt: Math.floor(saved.expiresAt.getTime() / 1000) }]);
    expect(await h.tokens.consumeAuthorizationCode(saved.code)).toBeNull();
  });

  it('returns null for an unknown code', async () => {
    expect(await h.tokens.consumeAuthorizationCode('unknown')).toBeNull();
  });
});

describe('counters and cleanup', () => {
  it('keeps auth_stats equal to the Prometheus metrics', async () => {
    await h.tokens.issue(
      { clientId: 'svc', scope: [] },
      { ...opts, grantType: 'client_credentials' },
    );
    const reused = await h.tokens.issue(subject, opts);
    await h.tokens.rotateRefreshToken(reused.refreshToken!, 'app', opts);
    await expect(h.tokens.rotateRefreshToken(reused.refreshToken!, 'app', opts)).rejects.toThrow();
    const stats = await h.tokens.stats();
    for (const grant of ['authorization_code', 'refresh_token', 'client_credentials']) {
      expect(stats[`issued:${grant}`]).toBe(await h.metric('tokensIssued', { grant_type: grant }));
    }
    expect(stats['introspect:active']).toBe(await h.metric('introspections', { result: 'active' }));
    expect(stats['introspect:inactive']).toBe(
      await h.metric('introspections', { result: 'inactive' }),
    );
    const revoked =
      (await h.metric('revocations', { token_type: 'access_token' })) +
      (await h.metric('revocations', { token_type: 'refresh_token' }));
    expect(stats.revoked).toBe(revoked);
    expect(stats.refresh_reuse).toBe(await h.metric('refreshReuse'));
    expect(stats.refresh_reuse).toBe(1);
    expect(stats.revoked).toBeGreaterThan(0);
  });

  it('removes expired entries from the cleanup index in batches', async () => {
    await h.tokens.cleanupExpired();
    const short = { ...opts, withRefreshToken: false, accessTtlSeconds: 1 };
    const expiring = await Promise.all([1, 2, 3].map(() => h.tokens.issue(subject, short)));
    const live = await h.tokens.issue(subject, opts);
    await sleep(2100);
    expect(await h.tokens.cleanupExpired(2)).toBe(2);
    expect(await h.tokens.cleanupExpired(2)).toBe(1);
    expect(await h.tokens.cleanupExpired(2)).toBe(0);
    for (const t of expiring) {
      expect(
        await h.redis.zscore(keys.tokenCleanup(), keys.accessToken(digestToken(t.accessToken))),
      ).toBeNull();
    }
    expect(
      await h.redis.zscore(keys.tokenCleanup(), keys.accessToken(digestToken(live.accessToken))),
    ).not.toBeNull();
  });
});
