import { Test, TestingModule } from '@nestjs/testing';
import type Redis from 'ioredis';
import { UserAdmin } from '../../../src/admin/user-admin.service';
import { ConsentsModule } from '../../../src/consents/consents.module';
import { ConfigModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config/load-config';
import { keys } from '../../../src/redis/keys';
import type { RedisConnection } from '../../../src/redis/redis-connection';
import { RedisModule } from '../../../src/redis/redis.module';
import { REDIS_AUTH, REDIS_AUTH_CONNECTION } from '../../../src/redis/redis.tokens';
import { SessionsModule } from '../../../src/sessions/sessions.module';
import { SessionsService } from '../../../src/sessions/sessions.service';
import { InvalidRefreshTokenError } from '../../../src/tokens/token.errors';
import type { IssueOptions, RefreshingClient } from '../../../src/tokens/token.types';
import { TokensModule } from '../../../src/tokens/tokens.module';
import { TokensService } from '../../../src/tokens/tokens.service';
import { UsersModule } from '../../../src/users/users.module';
import { UsersService } from '../../../src/users/users.service';
import { useTopology } from '../../support/redis-topology';
import { eventually, TEST_ENV } from '../../support/test-app';
import { registerClient } from '../tokens/tokens-harness';

const topology = useTopology({ mode: 'standalone' });
const PASSWORD = 'correct horse battery';
let moduleRef: TestingModule;
let redis: Redis;
let users: UsersService;
let sessions: SessionsService;
let admin: UserAdmin;
/** The tokens service under the name the tokens tests use. */
let h: { tokens: TokensService; redis: Redis };
let app: RefreshingClient;

beforeAll(async () => {
  // The real DI wiring of what UserAdmin needs, as the admin module and the CLI use it.
  const config = loadConfig({ ...TEST_ENV, ...topology().env(), PASSWORD_SCRYPT_N: '1024' });
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      RedisModule,
      UsersModule,
      SessionsModule,
      TokensModule,
      ConsentsModule,
    ],
    providers: [UserAdmin],
  }).compile();
  await moduleRef.init();
  const auth = moduleRef.get<RedisConnection>(REDIS_AUTH_CONNECTION);
  await eventually(() => auth.isReady(), 15_000, 'Redis ready');
  redis = moduleRef.get<Redis>(REDIS_AUTH);
  users = moduleRef.get(UsersService);
  sessions = moduleRef.get(SessionsService);
  admin = moduleRef.get(UserAdmin);
  h = { tokens: moduleRef.get(TokensService), redis };
  app = await registerClient(redis, 'app', ['openid']);
});
afterAll(() => moduleRef?.close());

const options = (grantType = 'authorization_code', ttl = 900): IssueOptions => ({
  grantType: grantType as IssueOptions['grantType'],
  withRefreshToken: grantType !== 'client_credentials',
  accessTtlSeconds: ttl,
  refreshTtlSeconds: ttl * 2,
  clientGeneration: app.generation,
});
const forUser = (userId: string) => ({ clientId: 'app', userId, scope: ['openid'] });

describe("a user's tokens and sessions", () => {
  it('are indexed per user, including pairs from a rotation, and the index expires with them', async () => {
    const user = await users.create({ username: 'indexed', password: PASSWORD });
    const first = await h.tokens.issue(forUser(user.id), options('authorization_code', 60));
    const rotated = await h.tokens.rotateRefreshToken(first.refreshToken!, app, options());
    const index = await h.redis.zrange(keys.userTokens(user.id), '0', '-1');
    expect(index).toHaveLength(4); // both pairs; the rotated refresh token stays for reuse detection
    const ttl = await h.redis.pttl(keys.userTokens(user.id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(900 * 2 * 1000);
    expect(rotated.refreshToken).toBeDefined();
    // A client credentials token has no user and lands in no user index.
    await h.tokens.issue({ clientId: 'app', scope: ['openid'] }, options('client_credentials'));
    expect(await h.redis.exists(keys.userTokens(''))).toBe(0);
  });

  it('are all ended when the user is disabled, and no other user’s are', async () => {
    const alice = await users.create({ username: 'alice', password: PASSWORD });
    const bob = await users.create({ username: 'bob', password: PASSWORD });
    const a1 = await h.tokens.issue(forUser(alice.id), options());
    const a2 = await h.tokens.rotateRefreshToken(a1.refreshToken!, app, options());
    const a3 = await h.tokens.issue(forUser(alice.id), options());
    const b1 = await h.tokens.issue(forUser(bob.id), options());
    const machine = await h.tokens.issue(
      { clientId: 'app', scope: ['openid'] },
      options('client_credentials'),
    );

    const aliceSession = await sessions.create(alice.id, { userAgent: 'test' });
    const bobSession = await sessions.create(bob.id, { userAgent: 'test' });

    const { user, ended } = await admin.update(alice.id, { disabled: true }, []);
    expect(user.disabled).toBe(true);
    expect(ended).toEqual({ revoked: 6, endedSessions: 1 });
    expect(await sessions.find(aliceSession.id)).toBeNull();
    expect(await sessions.find(bobSession.id)).not.toBeNull();
    for (const token of [a1, a2, a3].flatMap((t) => [t.accessToken, t.refreshToken!])) {
      expect(await h.tokens.introspect(token)).toBeNull();
    }
    await expect(h.tokens.rotateRefreshToken(a2.refreshToken!, app, options())).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    expect(await h.redis.exists(keys.userTokens(alice.id))).toBe(0);
    expect(await h.tokens.introspect(b1.accessToken)).toMatchObject({ userId: bob.id });
    expect(await h.tokens.introspect(machine.accessToken)).not.toBeNull();
    expect(await users.verifyPassword('alice', PASSWORD)).toBeNull();

    // Enabling ends nothing and returns no count.
    expect((await admin.update(alice.id, { disabled: false }, [])).ended).toBeUndefined();
  });

  it('are all ended when the user is deleted; revoke-tokens afterwards finds nothing left', async () => {
    const carol = await users.create({ username: 'carol', password: PASSWORD });
    const c1 = await h.tokens.issue(forUser(carol.id), options());
    const session = await sessions.create(carol.id, {});
    expect(await admin.delete(carol.id)).toEqual({ revoked: 2, endedSessions: 1 });
    expect(await sessions.find(session.id)).toBeNull();
    expect(await h.tokens.introspect(c1.accessToken)).toBeNull();
    expect(await h.tokens.introspect(c1.refreshToken!)).toBeNull();
    expect(await admin.revokeTokens(carol.id)).toEqual({ revoked: 0 });
  });

  // The user index is bypassed below (fields written straight into Redis), as in a race
  // between a disable and a refresh, or for a token the index never held.
  it('refuses to rotate a refresh token of a user disabled behind the revocation’s back, and revokes its family', async () => {
    const dave = await users.create({ username: `dave-${Date.now()}`, password: PASSWORD });
    const issued = await h.tokens.issue(forUser(dave.id), options());
    await redis.hset(keys.user(dave.id), 'disabled', '1');
    await expect(h.tokens.rotateRefreshToken(issued.refreshToken!, app, options())).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    expect(await h.tokens.introspect(issued.accessToken)).toBeNull();
    // Enabled again, the family stays revoked: a disable is final for the tokens it caught.
    await redis.hset(keys.user(dave.id), 'disabled', '0');
    await expect(h.tokens.rotateRefreshToken(issued.refreshToken!, app, options())).rejects.toThrow(
      InvalidRefreshTokenError,
    );
  });

  it('refuses to rotate a refresh token whose user record is gone', async () => {
    const erin = await users.create({ username: `erin-${Date.now()}`, password: PASSWORD });
    const issued = await h.tokens.issue(forUser(erin.id), options());
    await redis.del(keys.user(erin.id));
    await expect(h.tokens.rotateRefreshToken(issued.refreshToken!, app, options())).rejects.toThrow(
      InvalidRefreshTokenError,
    );
    expect(await h.tokens.introspect(issued.refreshToken!)).toBeNull();
  });
});
