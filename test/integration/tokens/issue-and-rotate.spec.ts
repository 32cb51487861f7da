import { keys } from '../../../src/redis/keys';
import { digestToken } from '../../../src/tokens/token-crypto';
import {
  ClientChangedError,
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
} from '../../../src/tokens/token.errors';
import type { IssueOptions, RefreshingClient, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import {
  dumpAll,
  registerClient,
  registerUser,
  startTokens,
  TokensHarness,
} from './tokens-harness';

const topology = useTopology({ mode: 'standalone' });
let h: TokensHarness;
let app: RefreshingClient;
let withRefresh: IssueOptions;

beforeAll(async () => {
  h = await startTokens(topology().env());
  app = await registerClient(h.redis, 'app', ['openid', 'profile', 'email']);
  await registerUser(h.redis, 'u1');
  withRefresh = {
    grantType: 'authorization_code',
    withRefreshToken: true,
    accessTtlSeconds: 900,
    refreshTtlSeconds: 604800,
    clientGeneration: app.generation,
  };
});
afterAll(() => h?.close());

const subject: TokenSubject = { clientId: 'app', userId: 'u1', scope: ['openid', 'profile'] };
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

  it('sets the configured TTLs on tokens, family and the client token index', async () => {
    const issued = await h.tokens.issue(subject, withRefresh);
    const accessKey = keys.accessToken(digestToken(issued.accessToken));
    const refreshKey = keys.refreshToken(digestToken(issued.refreshToken!));
    const family = await h.redis.hget(refreshKey, 'family');
    expect(await h.redis.ttl(accessKey)).toBeGreaterThan(895);
    expect(await h.redis.ttl(accessKey)).toBeLessThanOrEqual(900);
    expect(await h.redis.ttl(refreshKey)).toBeGreaterThan(604795);
    expect(await h.redis.ttl(keys.tokenFamily(family!))).toBeGreaterThan(604795);
    expect(await h.redis.hget(accessKey, 'family')).toBe(family);
    const index = keys.clientTokens('app');
    expect(Number(await h.redis.zscore(index, accessKey))).toBe(
      issued.accessTokenExpiresAt.getTime(),
    );
    expect(Number(await h.redis.zscore(index, refreshKey))).toBe(
      issued.refreshTokenExpiresAt!.getTime(),
    );
    expect(await h.redis.ttl(index)).toBeGreaterThan(604795);
    expect(await h.redis.exists(keys.tokenCleanup())).toBe(0);
  });

  it('issues a lone access token for client_credentials', async () => {
    const svc = await registerClient(h.redis, 'svc', ['cache:read']);
    const issued = await h.tokens.issue(
      { clientId: 'svc', scope: ['cache:read'] },
      {
        ...withRefresh,
        grantType: 'client_credentials',
        withRefreshToken: false,
        clientGeneration: svc.generation,
      },
    );
    expect(issued.refreshToken).toBeUndefined();
    const info = await h.tokens.introspect(issued.accessToken);
    expect(info).toMatchObject({ kind: 'access_token', clientId: 'svc', scope: ['cache:read'] });
    expect(info?.userId).toBeUndefined();
    expect(info?.familyId).toBeUndefined();
  });

  it('issues nothing to a deleted or re-created client (ClientChangedError)', async () => {
    const gone = await registerClient(h.redis, 'gone');
    const opts = { ...withRefresh, clientGeneration: gone.generation };
    await h.redis.del(keys.client('gone'));
    const before = await h.redis.dbsize();
    await expect(h.tokens.issue({ ...subject, clientId: 'gone' }, opts)).rejects.toThrow(
      ClientChangedError,
    );
    await registerClient(h.redis, 'gone');
    await expect(h.tokens.issue({ ...subject, clientId: 'gone' }, opts)).rejects.toThrow(
      ClientChangedError,
    );
    // The re-created client record is the only new key.
    expect(await h.redis.dbsize()).toBe(before + 1);
    expect(await h.redis.exists(keys.clientTokens('gone'))).toBe(0);
  });
});

describe('refresh token rotation', () => {
  it('issues a new pair and the old refresh token stops working', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    const second = await h.tokens.rotateRefreshToken(first.refreshToken!, app, rotation);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.scope).toEqual(['openid', 'profile']);
    expect(await h.tokens.introspect(second.accessToken)).toMatchObject({ userId: 'u1' });
    expect(await h.tokens.introspect(first.refreshToken!, 'refresh_token')).toBeNull();
    const third = await h.tokens.rotateRefreshToken(second.refreshToken!, app, rotation);
    expect(await h.tokens.introspect(third.refreshToken!, 'refresh_token')).toMatchObject({
      kind: 'refresh_token',
    });
  });

  it('revokes the whole family, newest access token included, when a rotated refresh token is reused', async () => {
    const reuseBefore = Number((await h.tokens.stats())['refresh_reuse'] ?? 0);
    const first = await h.tokens.issue(subject, withRefresh);
    const second = await h.tokens.rotateRefreshToken(first.refreshToken!, app, rotation);
    await expect(h.tokens.rotateRefreshToken(first.refreshToken!, app, rotation)).rejects.toThrow(
      RefreshTokenReusedError,
    );
    expect(await h.tokens.introspect(second.accessToken)).toBeNull();
    expect(await h.tokens.introspect(second.refreshToken!, 'refresh_token')).toBeNull();
    expect(await h.tokens.introspect(first.accessToken)).toBeNull();
    await expect(h.tokens.rotateRefreshToken(second.refreshToken!, app, rotation)).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    expect(await h.redis.exists(keys.blacklist(digestToken(second.accessToken)))).toBe(1);
    expect((await h.tokens.stats())['refresh_reuse']).toBe(reuseBefore + 1);
  });

  it('rejects unknown tokens and tokens presented by another client without revoking anything', async () => {
    const other = await registerClient(h.redis, 'other');
    const first = await h.tokens.issue(subject, withRefresh);
    await expect(h.tokens.rotateRefreshToken('nope', app, rotation)).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    await expect(h.tokens.rotateRefreshToken(first.refreshToken!, other, rotation)).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    await expect(h.tokens.rotateRefreshToken(first.accessToken, app, rotation)).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    expect(await h.tokens.introspect(first.accessToken)).not.toBeNull();
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, app, rotation),
    ).resolves.toBeDefined();
  });

  it('narrows the access token scope on request and refuses a wider one (RFC 6749 section 6)', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    // `email` is allowed to the client but was not granted.
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, app, {
        ...rotation,
        scope: ['openid', 'email'],
      }),
    ).rejects.toThrow(ScopeExceedsGrantError);
    const narrowed = await h.tokens.rotateRefreshToken(first.refreshToken!, app, {
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
    const second = await h.tokens.rotateRefreshToken(first.refreshToken!, app, rotation);
    const members = await h.redis.smembers(keys.tokenFamily(family));
    expect(members.sort()).toEqual(
      [
        keys.accessToken(digestToken(second.accessToken)),
        keys.refreshToken(digestToken(second.refreshToken!)),
      ].sort(),
    );
  });
});

describe('refresh re-checks the client as it is now', () => {
  it('refuses a refresh once the client was deleted or re-created, writing nothing', async () => {
    const fleeting = await registerClient(h.redis, 'fleeting');
    const first = await h.tokens.issue(
      { ...subject, clientId: 'fleeting' },
      { ...withRefresh, clientGeneration: fleeting.generation },
    );
    const recreated = await registerClient(h.redis, 'fleeting');
    const before = await dumpAll(h.redis);
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, fleeting, rotation),
    ).rejects.toThrow(ClientChangedError);
    expect(await dumpAll(h.redis)).toEqual(before);
    // The re-created client is another client: tokens of the old one are not its to use.
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, recreated, rotation),
    ).rejects.toThrow(InvalidRefreshTokenError);
    expect(await dumpAll(h.redis)).toEqual(before);
  });

  it('never gives back a scope the client lost since the grant', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    const shrunk = { ...app, scopes: ['openid', 'email'] };
    const second = await h.tokens.rotateRefreshToken(first.refreshToken!, shrunk, rotation);
    expect(second.scope).toEqual(['openid']);
    expect((await h.tokens.introspect(second.refreshToken!))?.scope).toEqual(['openid']);
    // Even once the client is allowed `profile` again, this family never regains it.
    const third = await h.tokens.rotateRefreshToken(second.refreshToken!, app, rotation);
    expect(third.scope).toEqual(['openid']);
  });

  it('refuses a requested scope the client is no longer allowed (invalid_scope)', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    const shrunk = { ...app, scopes: ['openid'] };
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, shrunk, { ...rotation, scope: ['profile'] }),
    ).rejects.toThrow(ScopeExceedsGrantError);
    // Nothing was written: the token still rotates.
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, app, rotation),
    ).resolves.toMatchObject({ scope: ['openid', 'profile'] });
  });

  it('refuses a refresh when nothing of the granted scope is still allowed', async () => {
    const first = await h.tokens.issue(subject, withRefresh);
    await expect(
      h.tokens.rotateRefreshToken(first.refreshToken!, { ...app, scopes: ['email'] }, rotation),
    ).rejects.toThrow(ScopeExceedsGrantError);
    expect(await h.tokens.introspect(first.refreshToken!)).not.toBeNull();
  });
});
