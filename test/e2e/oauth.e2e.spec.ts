/**
 * Happy paths of the token endpoint, driven by a real OAuth2 client library (simple-oauth2)
 * against the whole server and a real Redis.
 */
import {
  AuthorizationCode,
  AuthorizationTokenConfig,
  ClientCredentials,
  ModuleOptions,
} from 'simple-oauth2';
import type { RunningApp } from '../support/test-app';
import { useTopology } from '../support/redis-topology';
import {
  createClient,
  codeOwner,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
  startReadyApp,
} from './support/oauth-fixtures';

/** simple-oauth2 sends extra params as they are; its types do not know PKCE's code_verifier. */
const redemption = (code: string, verifier: string): AuthorizationTokenConfig =>
  ({ code, redirect_uri: REDIRECT_URI, code_verifier: verifier }) as AuthorizationTokenConfig;

describe('OAuth 2.0 token endpoint (simple-oauth2 client)', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;

  beforeAll(async () => {
    running = await startReadyApp(topology().env());
  });
  afterAll(async () => {
    await running?.close();
  });

  const options = (
    id: string,
    secret: string,
    method: 'header' | 'body',
  ): ModuleOptions<'client_id'> => ({
    client: { id, secret },
    auth: { tokenHost: running.url, tokenPath: '/oauth2/token', revokePath: '/oauth2/revoke' },
    options: { authorizationMethod: method },
  });

  /** Introspects with the caller's registered method (Basic unless `body`). */
  const introspect = async (
    token: string,
    caller: { id: string; secret: string },
    method: 'header' | 'body' = 'header',
  ) =>
    (method === 'body'
      ? await post(running, '/oauth2/introspect', {
          token,
          client_id: caller.id,
          client_secret: caller.secret,
        })
      : await post(running, '/oauth2/introspect', { token }, { basic: [caller.id, caller.secret] })
    ).body as Record<string, unknown>;

  describe('client_credentials', () => {
    it.each(['header', 'body'] as const)(
      'issues an access token without a refresh token to a client authenticating by %s',
      async (method) => {
        const client = await createClient(running, {
          grantTypes: ['client_credentials'],
          tokenEndpointAuthMethod: method === 'body' ? 'client_secret_post' : 'client_secret_basic',
        });
        const oauth = new ClientCredentials(options(client.id, client.secret, method));

        const token = await oauth.getToken({ scope: 'openid cache:read' });

        expect(token.token).toEqual({
          access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          token_type: 'Bearer',
          expires_in: expect.any(Number),
          scope: 'openid cache:read',
          expires_at: expect.any(Date),
        });
        expect(token.token.expires_in).toBeGreaterThan(
          running.config.oauth.accessTokenTtlSeconds - 5,
        );
        expect(token.token.refresh_token).toBeUndefined();
        const info = await introspect(token.token.access_token as string, client, method);
        expect(info).toMatchObject({
          active: true,
          client_id: client.id,
          sub: client.id,
          scope: 'openid cache:read',
        });
      },
    );

    it("grants all of the client's scopes when none is requested", async () => {
      const client = await createClient(running, { grantTypes: ['client_credentials'] });
      const token = await new ClientCredentials(
        options(client.id, client.secret, 'header'),
      ).getToken({});
      expect(token.token.scope).toBe('openid profile cache:read');
    });
  });

  describe('authorization_code with PKCE', () => {
    it('redeems a code for a confidential client authenticating with Basic', async () => {
      const client = await createClient(running);
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      const oauth = new AuthorizationCode(options(client.id, client.secret, 'header'));

      const token = await oauth.getToken(redemption(code, verifier));

      expect(token.token).toMatchObject({
        token_type: 'Bearer',
        scope: 'openid profile',
        access_token: expect.any(String),
        refresh_token: expect.any(String),
      });
      const info = await introspect(token.token.access_token as string, client);
      expect(info).toMatchObject({
        active: true,
        sub: await codeOwner(running),
        client_id: client.id,
      });
    });

    it('redeems a code for a public client that sends no secret', async () => {
      const caller = await createClient(running, {
        grantTypes: ['client_credentials'],
        resourceServer: true,
      });
      const client = await createClient(running, {
        type: 'public',
        grantTypes: ['authorization_code', 'refresh_token'],
      });
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge, ['openid']);
      const oauth = new AuthorizationCode(options(client.id, '', 'body'));

      const token = await oauth.getToken(redemption(code, verifier));

      expect(token.token).toMatchObject({
        token_type: 'Bearer',
        scope: 'openid',
        refresh_token: expect.any(String),
      });
      const info = await introspect(token.token.access_token as string, caller);
      expect(info).toMatchObject({
        active: true,
        client_id: client.id,
        sub: await codeOwner(running),
      });
    });

    it('does not issue a refresh token to a client without the refresh_token grant', async () => {
      const client = await createClient(running, {
        grantTypes: ['authorization_code'],
        tokenEndpointAuthMethod: 'client_secret_post',
      });
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      const oauth = new AuthorizationCode(options(client.id, client.secret, 'body'));

      const token = await oauth.getToken(redemption(code, verifier));

      expect(token.token.refresh_token).toBeUndefined();
    });
  });

  describe('refresh_token with rotation', () => {
    async function firstTokens(client: { id: string; secret: string }) {
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      const oauth = new AuthorizationCode(options(client.id, client.secret, 'header'));
      return oauth.getToken(redemption(code, verifier));
    }

    it('rotates the refresh token; the old one then fails with invalid_grant', async () => {
      const client = await createClient(running);
      const first = await firstTokens(client);

      const second = await first.refresh();

      expect(second.token.refresh_token).toEqual(expect.any(String));
      expect(second.token.refresh_token).not.toBe(first.token.refresh_token);
      expect(second.token.access_token).not.toBe(first.token.access_token);
      const replay = await post(
        running,
        '/oauth2/token',
        { grant_type: 'refresh_token', refresh_token: first.token.refresh_token as string },
        { basic: [client.id, client.secret] },
      );
      expect(replay.status).toBe(400);
      expect((replay.body as { error: string }).error).toBe('invalid_grant');
    });

    it('narrows the scope on refresh when asked (RFC 6749 section 6)', async () => {
      const client = await createClient(running);
      const first = await firstTokens(client);
      const narrowed = await first.refresh({ scope: 'openid' });
      expect(narrowed.token.scope).toBe('openid');
    });

    it('revokes the whole family when a rotated refresh token is reused', async () => {
      const client = await createClient(running);
      const first = await firstTokens(client);
      const second = await first.refresh();
      const third = await second.refresh();
      expect(await introspect(third.token.access_token as string, client)).toMatchObject({
        active: true,
      });

      // An attacker replays the first (already rotated) refresh token.
      await expect(first.refresh()).rejects.toMatchObject({
        output: { statusCode: 400 },
        data: { payload: { error: 'invalid_grant' } },
      });

      expect(await introspect(third.token.access_token as string, client)).toEqual({
        active: false,
      });
      expect(await introspect(third.token.refresh_token as string, client)).toEqual({
        active: false,
      });
      await expect(third.refresh()).rejects.toMatchObject({
        data: { payload: { error: 'invalid_grant' } },
      });
    });
  });

  it('revokes tokens through the client library (RFC 7009)', async () => {
    const client = await createClient(running);
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(running, client.id, challenge);
    const token = await new AuthorizationCode(options(client.id, client.secret, 'header')).getToken(
      redemption(code, verifier),
    );

    await token.revokeAll();

    expect(await introspect(token.token.access_token as string, client)).toEqual({ active: false });
    expect(await introspect(token.token.refresh_token as string, client)).toEqual({
      active: false,
    });
  });
});
