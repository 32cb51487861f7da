import { keys } from '../../../src/redis/keys';
import { digestToken } from '../../../src/tokens/token-crypto';
import type { IssueOptions, RefreshingClient, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import { registerClient, registerUser, startTokens, TokensHarness } from './tokens-harness';

const topology = useTopology({ mode: 'standalone' });
let h: TokensHarness;
let app: RefreshingClient;
let opts: IssueOptions;

beforeAll(async () => {
  h = await startTokens(topology().env());
  app = await registerClient(h.redis, 'app', ['openid']);
  await registerUser(h.redis, 'u1');
  opts = {
    grantType: 'authorization_code',
    withRefreshToken: true,
    accessTtlSeconds: 900,
    refreshTtlSeconds: 604800,
    clientGeneration: app.generation,
  };
});
afterAll(() => h?.close());

const subject: TokenSubject = { clientId: 'app', userId: 'u1', scope: ['openid'] };
/** Redis's count of writes since start (`rdb_changes_since_last_save`; nothing saves here). */
async function writesSoFar(): Promise<number> {
  const info = await h.redis.info('persistence');
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
}
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

  it('writes nothing to Redis, whatever the answer', async () => {
    const live = await h.tokens.issue(subject, opts);
    const rotated = await h.tokens.issue(subject, opts);
    await h.tokens.rotateRefreshToken(rotated.refreshToken!, app, opts);
    const revoked = await h.tokens.issue(subject, opts);
    await h.tokens.revoke(revoked.refreshToken!, 'app');
    const before = await writesSoFar();
    for (const token of [live.accessToken, live.refreshToken!, rotated.refreshToken!]) {
      await h.tokens.introspect(token);
      await h.tokens.introspect(token, 'refresh_token');
    }
    await h.tokens.introspect(revoked.accessToken);
    await h.tokens.introspect('never-issued');
    expect(await writesSoFar()).toBe(before);
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
      const second = await h.tokens.rotateRefreshToken(first.refreshToken!, app, opts);
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
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wA1gFWjOEjXk';
  const code = {
    clientId: 'app',
    scope: ['openid', 'profile'],
    redirectUri: 'https://app.example/cb',
    codeChallenge: 'jKQ8X-zFRZom4hqaISi6UWNijoPkLrqZj6EwV11xJDM',
    codeChallengeMethod: 'S256' as const,
  };
  const redemption = () => ({
    client: app,
    redirectUri: code.redirectUri,
    codeVerifier: verifier,
    accessTtlSeconds: 900,
    refreshTtlSeconds: 3600,
  });

  it('is redeemed exactly once by concurrent requests; the replay revokes what it gave', async () => {
    const saved = await h.tokens.saveAuthorizationCode(code, 600);
    expect(await h.redis.ttl(keys.code(digestToken(saved.code)))).toBeGreaterThan(595);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => h.tokens.redeemAuthorizationCode(saved.code, redemption())),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const issued = (
      winners[0] as PromiseFulfilledResult<{
        accessToken: string;
        refreshToken?: string;
        scope: readonly string[];
      }>
    ).value;
    // app's scopes are ['openid']: the consented 'profile' is narrowed away.
    expect(issued.scope).toEqual(['openid']);
    expect(await h.tokens.introspect(issued.accessToken)).toBeNull();
    expect(await h.tokens.introspect(issued.refreshToken!)).toBeNull();
    // The spent code stays (marked used) until its TTL, to recognise later replays.
    expect(await h.redis.hget(keys.code(digestToken(saved.code)), 'used')).toBe('1');
  });

  it('refuses an unknown code', async () => {
    await expect(h.tokens.redeemAuthorizationCode('unknown', redemption())).rejects.toThrow(
      'authorization code is invalid',
    );
  });
});

describe('counters and the legacy cleanup index', () => {
  it('keeps auth_stats equal to the Prometheus metrics, and counts no reads', async () => {
    const svc = await registerClient(h.redis, 'svc', []);
    await h.tokens.issue(
      { clientId: 'svc', scope: [] },
      { ...opts, grantType: 'client_credentials', clientGeneration: svc.generation },
    );
    const reused = await h.tokens.issue(subject, opts);
    await h.tokens.rotateRefreshToken(reused.refreshToken!, app, opts);
    await expect(h.tokens.rotateRefreshToken(reused.refreshToken!, app, opts)).rejects.toThrow();
    const stats = await h.tokens.stats();
    for (const grant of ['authorization_code', 'refresh_token', 'client_credentials']) {
      expect(stats[`issued:${grant}`]).toBe(await h.metric('tokensIssued', { grant_type: grant }));
    }
    expect(await h.metric('introspections')).toBeGreaterThan(0);
    expect(stats['introspect:active']).toBeUndefined();
    expect(stats['introspect:inactive']).toBeUndefined();
    const revoked =
      (await h.metric('revocations', { token_type: 'access_token' })) +
      (await h.metric('revocations', { token_type: 'refresh_token' }));
    expect(stats.revoked).toBe(revoked);
    expect(stats.refresh_reuse).toBe(await h.metric('refreshReuse'));
    expect(stats.refresh_reuse).toBe(1);
    expect(stats.revoked).toBeGreaterThan(0);
  });

  it('drains expired entries of the legacy cleanup index in batches, then the key is gone', async () => {
    const legacy = keys.tokenCleanup();
    const past = Date.now() - 1000;
    await h.redis.zadd(legacy, past, 'auth:access_token:a', past, 'auth:access_token:b');
    await h.redis.zadd(legacy, past, 'auth:access_token:c');
    await h.redis.zadd(legacy, Date.now() + 60_000, 'auth:access_token:live');
    await h.redis.hset('auth:access_token:a', 'kind', 'access_token'); // lost its TTL
    expect(await h.tokens.cleanupExpired(2)).toBe(2);
    expect(await h.tokens.cleanupExpired(2)).toBe(1);
    expect(await h.tokens.cleanupExpired(2)).toBe(0);
    expect(await h.redis.exists('auth:access_token:a')).toBe(0);
    expect(await h.redis.zrange(legacy, '0', '-1')).toEqual(['auth:access_token:live']);
    await h.redis.zrem(legacy, 'auth:access_token:live');
    expect(await h.redis.exists(legacy)).toBe(0);
  });

  it('no longer writes the global cleanup index', async () => {
    const issued = await h.tokens.issue(subject, opts);
    await h.tokens.rotateRefreshToken(issued.refreshToken!, app, opts);
    expect(await h.redis.exists(keys.tokenCleanup())).toBe(0);
  });
});
