import { keys } from '../../../src/redis/keys';
import { digestToken } from '../../../src/tokens/token-crypto';
import { InvalidRefreshTokenError } from '../../../src/tokens/token.errors';
import type { IssueOptions, RefreshingClient, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import { eventually } from '../../support/test-app';
import { registerClient, registerUser, startTokens, TokensHarness } from './tokens-harness';

const topology = useTopology({ mode: 'standalone' });
let h: TokensHarness;

beforeAll(async () => {
  h = await startTokens(topology().env());
  await registerUser(h.redis, 'u1');
  await registerUser(h.redis, 'u-memory');
});
afterAll(() => h?.close());

const subject = (clientId: string): TokenSubject => ({ clientId, userId: 'u1', scope: ['openid'] });
const options = (client: RefreshingClient, ttl = 900): IssueOptions => ({
  grantType: 'authorization_code',
  withRefreshToken: true,
  accessTtlSeconds: ttl,
  refreshTtlSeconds: ttl * 2,
  clientGeneration: client.generation,
});

describe('revoking every token of a client', () => {
  it('revokes every live token and family of the client, and only of that client', async () => {
    const doomed = await registerClient(h.redis, 'doomed', ['openid']);
    const bystander = await registerClient(h.redis, 'bystander', ['openid']);
    const a = await h.tokens.issue(subject('doomed'), options(doomed));
    const b = await h.tokens.issue(subject('doomed'), options(doomed));
    const rotated = await h.tokens.rotateRefreshToken(b.refreshToken!, doomed, options(doomed));
    const lone = await h.tokens.issue(subject('doomed'), {
      ...options(doomed),
      grantType: 'client_credentials',
      withRefreshToken: false,
    });
    const kept = await h.tokens.issue(subject('bystander'), options(bystander));
    const familyOfA = (await h.tokens.introspect(a.refreshToken!))!.familyId!;

    // a (2), b (2, its refresh token kept as rotated for reuse detection), rotated (2), lone (1)
    expect(await h.tokens.revokeAllForClient('doomed')).toBe(7);

    for (const token of [a, b, rotated, lone].flatMap((t) => [t.accessToken, t.refreshToken])) {
      if (token) expect(await h.tokens.introspect(token)).toBeNull();
    }
    await expect(
      h.tokens.rotateRefreshToken(rotated.refreshToken!, doomed, options(doomed)),
    ).rejects.toThrow(InvalidRefreshTokenError);
    expect(await h.redis.exists(keys.blacklist(digestToken(a.accessToken)))).toBe(1);
    expect(await h.redis.exists(keys.tokenFamily(familyOfA))).toBe(0);
    expect(await h.redis.exists(keys.clientTokens('doomed'))).toBe(0);
    expect(await h.tokens.introspect(kept.accessToken)).not.toBeNull();
    expect(await h.tokens.introspect(kept.refreshToken!)).not.toBeNull();
    expect(await h.tokens.revokeAllForClient('doomed')).toBe(0);
  });

  it('leaves nothing a deleted client could still use, even a token issued in the race', async () => {
    const racing = await registerClient(h.redis, 'racing', ['openid']);
    const issued = await h.tokens.issue(subject('racing'), options(racing));
    // Client deletion: the record goes first, then its tokens.
    await h.redis.del(keys.client('racing'));
    await expect(h.tokens.issue(subject('racing'), options(racing))).rejects.toThrow();
    await h.tokens.revokeAllForClient('racing');
    expect(await h.tokens.introspect(issued.accessToken)).toBeNull();
    expect(await h.redis.keys('*racing*')).toEqual([]);
  });
});

describe('the per-client token index', () => {
  it('drops entries of expired tokens on the next write and expires with its last token', async () => {
    const client = await registerClient(h.redis, 'brief', ['openid']);
    const index = keys.clientTokens('brief');
    const first = await h.tokens.issue(subject('brief'), options(client, 1));
    expect(await h.redis.zcard(index)).toBe(2);
    await new Promise((r) => setTimeout(r, 2100));
    const second = await h.tokens.issue(subject('brief'), options(client, 60));
    expect(await h.redis.zrange(index, '0', '-1')).toEqual([
      keys.accessToken(digestToken(second.accessToken)),
      keys.refreshToken(digestToken(second.refreshToken!)),
    ]);
    expect(
      await h.redis.zscore(index, keys.accessToken(digestToken(first.accessToken))),
    ).toBeNull();
    const ttl = await h.redis.pttl(index);
    expect(ttl).toBeGreaterThan(118_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('returns DBSIZE and used_memory to their baseline once every token has expired', async () => {
    const clients = await Promise.all(
      ['m1', 'm2', 'm3', 'm4'].map((id) => registerClient(h.redis, id, ['openid'])),
    );
    await eventually(async () => (await h.redis.dbsize()) === (await liveKeyCount()), 10_000);
    const baselineKeys = await h.redis.dbsize();
    const baselineMemory = await usedMemory();

    // 4 clients x 250 logins (access 1 s, refresh 2 s), a rotation for every fifth.
    for (const client of clients) {
      const issued = await Promise.all(
        Array.from({ length: 250 }, () =>
          h.tokens.issue({ ...subject(client.id), userId: 'u-memory' }, options(client, 1)),
        ),
      );
      await Promise.all(
        issued
          .filter((_, i) => i % 5 === 0)
          .map((t) => h.tokens.rotateRefreshToken(t.refreshToken!, client, options(client, 1))),
      );
    }
    expect(await h.redis.dbsize()).toBeGreaterThan(baselineKeys + 2000);

    await eventually(async () => (await h.redis.dbsize()) === baselineKeys, 20_000, 'keys expire');
    for (const client of clients) {
      expect(await h.redis.exists(keys.clientTokens(client.id))).toBe(0);
    }
    // Its own user: that user's token index expires with these tokens too (u1's index is kept
    // alive by the revoked long-lived tokens of the tests above until their original expiry).
    expect(await h.redis.exists(keys.userTokens('u-memory'))).toBe(0);
    expect(await h.redis.exists(keys.tokenCleanup())).toBe(0);
    // Allocator noise only; the global index used to keep ~100 bytes per token ever issued.
    expect(await usedMemory()).toBeLessThan(baselineMemory + 32 * 1024);
  });
});

/** Keys that are not logically expired (DBSIZE also counts expired keys not yet reclaimed). */
async function liveKeyCount(): Promise<number> {
  let live = 0;
  for (const key of await h.redis.keys('*')) live += await h.redis.exists(key);
  return live;
}

async function usedMemory(): Promise<number> {
  const info = await h.redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}
