/**
 * Holes found when the core was attacked (issue "Close the holes"), each proven over HTTP
 * against a real Redis: scope escalation through the default scope (1), refresh against the
 * client as it is now (2), expires_in (18), and unauthenticated requests that must not write
 * to Redis (15).
 */
import Redis from 'ioredis';
import type { RunningApp } from '../support/test-app';
import { useTopology } from '../support/redis-topology';
import {
  createClient,
  expectError,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
  startReadyApp,
} from './support/oauth-fixtures';

const ADMIN_TOKEN = 'admin-token-for-holes-tests-0123456789abcdef';

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
}

describe('closed holes of the OAuth core', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;
  let redis: Redis;

  beforeAll(async () => {
    running = await startReadyApp({ ...topology().env(), ADMIN_TOKEN });
    redis = new Redis(topology().redisUrl());
  });
  afterAll(async () => {
    redis?.disconnect();
    await running?.close();
  });

  const token = (caller: { id: string; secret: string }, params: Record<string, string>) =>
    post(running, '/oauth2/token', params, { basic: [caller.id, caller.secret] });

  async function redeem(
    caller: { id: string; secret: string },
    scope: readonly string[],
  ): Promise<TokenAnswer> {
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(running, caller.id, challenge, scope);
    const res = await token(caller, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    });
    expect(res.status).toBe(200);
    return res.body as TokenAnswer;
  }

  const adminApi = (method: string, path: string, bearer: string, body?: unknown) =>
    fetch(`${running.url}/api/v1/admin/clients${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const introspectAs = async (caller: { id: string; secret: string }, value: string) =>
    (
      await post(
        running,
        '/oauth2/introspect',
        { token: value },
        { basic: [caller.id, caller.secret] },
      )
    ).body as { active: boolean; scope?: string };

  describe('1: no scope escalation through the default scope', () => {
    it('redeems a code without scope into a token without scope, and its refresh stays without', async () => {
      const client = await createClient(running, { scopes: ['openid', 'admin'] });
      const tokens = await redeem(client, []);
      expect(tokens.scope).toBeUndefined();
      expect(await introspectAs(client, tokens.access_token)).toMatchObject({
        active: true,
        scope: '',
      });
      const refreshed = await token(client, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
      });
      expect(refreshed.status).toBe(200);
      expect((refreshed.body as TokenAnswer).scope).toBeUndefined();
      // The admin API refuses the token: it does not carry `admin`.
      const res = await adminApi('GET', '', (refreshed.body as TokenAnswer).access_token);
      expect(res.status).toBe(403);
    });

    it('gives client_credentials without scope every client scope except admin; admin only when asked', async () => {
      const client = await createClient(running, {
        grantTypes: ['client_credentials'],
        scopes: ['openid', 'cache:read', 'admin'],
      });
      const implicit = await token(client, { grant_type: 'client_credentials' });
      expect((implicit.body as TokenAnswer).scope).toBe('openid cache:read');
      expect((await adminApi('GET', '', (implicit.body as TokenAnswer).access_token)).status).toBe(
        403,
      );
      const explicit = await token(client, { grant_type: 'client_credentials', scope: 'admin' });
      expect((explicit.body as TokenAnswer).scope).toBe('admin');
      expect((await adminApi('GET', '', (explicit.body as TokenAnswer).access_token)).status).toBe(
        200,
      );
    });
  });

  describe('2: refresh checks the client as it is now', () => {
    it('narrows a refresh to the scopes the client still has', async () => {
      const client = await createClient(running, { scopes: ['openid', 'profile'] });
      const tokens = await redeem(client, ['openid', 'profile']);
      const patched = await adminApi('PATCH', `/${client.id}`, ADMIN_TOKEN, { scopes: ['openid'] });
      expect(patched.status).toBe(200);
      const refreshed = await token(client, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
      });
      expect(refreshed.status).toBe(200);
      const answer = refreshed.body as TokenAnswer;
      expect(answer.scope).toBe('openid');
      // The next refresh token was narrowed too: profile never comes back.
      await adminApi('PATCH', `/${client.id}`, ADMIN_TOKEN, { scopes: ['openid', 'profile'] });
      const again = await token(client, {
        grant_type: 'refresh_token',
        refresh_token: answer.refresh_token ?? '',
      });
      expect((again.body as TokenAnswer).scope).toBe('openid');
    });

    it('refuses a refresh once the client lost the refresh_token grant', async () => {
      const client = await createClient(running);
      const tokens = await redeem(client, ['openid']);
      await adminApi('PATCH', `/${client.id}`, ADMIN_TOKEN, {
        grant_types: ['authorization_code'],
      });
      expectError(
        await token(client, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token ?? '',
        }),
        400,
        'unauthorized_client',
        'Unauthorized client: `grant_type` is invalid',
      );
    });

    it('refuses a refresh that asks for a scope the client no longer has', async () => {
      const client = await createClient(running, { scopes: ['openid', 'profile'] });
      const tokens = await redeem(client, ['openid', 'profile']);
      await adminApi('PATCH', `/${client.id}`, ADMIN_TOKEN, { scopes: ['openid'] });
      expectError(
        await token(client, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token ?? '',
          scope: 'profile',
        }),
        400,
        'invalid_scope',
        'Invalid scope: requested scope exceeds the original grant',
      );
    });
  });

  describe('18: expires_in', () => {
    it('is the configured lifetime exactly, for every grant', async () => {
      const client = await createClient(running);
      const cc = await token(client, { grant_type: 'client_credentials' });
      expect((cc.body as TokenAnswer).expires_in).toBe(running.config.oauth.accessTokenTtlSeconds);
      const code = await redeem(client, ['openid']);
      expect(code.expires_in).toBe(900);
      const refreshed = await token(client, {
        grant_type: 'refresh_token',
        refresh_token: code.refresh_token ?? '',
      });
      expect((refreshed.body as TokenAnswer).expires_in).toBe(900);
    });

    it("is the client's own lifetime when it has one", async () => {
      const client = await createClient(running, { accessTokenTtlSeconds: 120 });
      const cc = await token(client, { grant_type: 'client_credentials' });
      expect((cc.body as TokenAnswer).expires_in).toBe(120);
    });
  });

  describe('15: unauthenticated requests write nothing to Redis but their rate limit', () => {
    /** Redis's count of writes since start (nothing saves in the harness). */
    const writes = async () =>
      Number(/rdb_changes_since_last_save:(\d+)/.exec(await redis.info('persistence'))?.[1]);

    /** Keys of the SETs Redis ran (scripts included) while `fn` ran, seen by MONITOR. */
    async function keysSetDuring(fn: () => Promise<void>): Promise<string[]> {
      const monitor = await redis.monitor();
      const keys: string[] = [];
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (String(args[0]).toLowerCase() === 'set') keys.push(args[1]);
      });
      try {
        await fn();
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        monitor.disconnect();
      }
      return keys;
    }

    it('a random bearer on the admin API and introspection with a bad secret touch no state', async () => {
      const client = await createClient(running);
      const tokens = await redeem(client, ['openid']);
      const before = await writes();
      const set = await keysSetDuring(async () => {
        expect((await adminApi('GET', '', 'x'.repeat(43))).status).toBe(401);
        const bad = await post(
          running,
          '/oauth2/introspect',
          { token: tokens.access_token },
          { basic: [client.id, 'wrong'] },
        );
        expect(bad.status).toBe(401);
        expect((await introspectAs(client, tokens.access_token)).active).toBe(true);
      });
      // The only writes are the rate limiter's (docs/rate-limiting.md): the admin route's
      // per-IP charge, the failed authentication's per-IP charge, the caller's per-client
      // charge; each one bounded string with a TTL <= its window.
      expect(set.sort()).toEqual(
        [
          'auth:rate_limit:default:127.0.0.1',
          'auth:rate_limit:ip:127.0.0.1',
          `auth:rate_limit:client:${client.id}`,
        ].sort(),
      );
      expect(await writes()).toBe(before + set.length);
    });
  });
});
