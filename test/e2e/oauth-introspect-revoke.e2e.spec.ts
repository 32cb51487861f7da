/**
 * Introspection (RFC 7662), revocation (RFC 7009) and server metadata (RFC 8414) over plain
 * HTTP against a real Redis.
 */
import type { RunningApp } from '../support/test-app';
import { useTopology } from '../support/redis-topology';
import {
  createClient,
  expectError,
  codeOwner,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
  startReadyApp,
} from './support/oauth-fixtures';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe('introspection, revocation and metadata', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;
  let client: { id: string; secret: string };
  let resourceServer: { id: string; secret: string };

  beforeAll(async () => {
    running = await startReadyApp(topology().env());
    client = await createClient(running);
    resourceServer = await createClient(running, {
      grantTypes: ['client_credentials'],
      resourceServer: true,
    });
  });
  afterAll(async () => {
    await running?.close();
  });

  async function codeTokens(owner = client): Promise<Tokens> {
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(running, owner.id, challenge);
    const res = await post(
      running,
      '/oauth2/token',
      {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      },
      { basic: [owner.id, owner.secret] },
    );
    expect(res.status).toBe(200);
    return res.body as Tokens;
  }

  const introspect = (token: string, extra: Record<string, string> = {}) =>
    post(
      running,
      '/oauth2/introspect',
      { token, ...extra },
      { basic: [resourceServer.id, resourceServer.secret] },
    );

  const revoke = (token: string, extra: Record<string, string> = {}, caller = client) =>
    post(running, '/oauth2/revoke', { token, ...extra }, { basic: [caller.id, caller.secret] });

  const isActive = async (token: string) =>
    ((await introspect(token)).body as { active: boolean }).active;

  describe('POST /oauth2/introspect', () => {
    it('describes an active access token with exactly the RFC 7662 fields', async () => {
      const before = Math.floor(Date.now() / 1000);
      const tokens = await codeTokens();
      const res = await introspect(tokens.access_token);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('pragma')).toBe('no-cache');
      expect(res.body).toEqual({
        active: true,
        scope: 'openid profile',
        client_id: client.id,
        sub: await codeOwner(running),
        exp: expect.any(Number),
        iat: expect.any(Number),
        token_type: 'Bearer',
        aud: client.id,
        iss: running.config.oauth.issuer,
      });
      const { iat, exp } = res.body as { iat: number; exp: number };
      expect(iat).toBeGreaterThanOrEqual(before);
      expect(exp - iat).toBe(running.config.oauth.accessTokenTtlSeconds);
    });

    it('describes an active refresh token, honouring the hint', async () => {
      const tokens = await codeTokens();
      const res = await introspect(tokens.refresh_token, { token_type_hint: 'refresh_token' });
      expect(res.body).toMatchObject({
        active: true,
        token_type: 'refresh_token',
        client_id: client.id,
      });
    });

    it('finds the token even when the hint is wrong', async () => {
      const tokens = await codeTokens();
      expect(
        (await introspect(tokens.access_token, { token_type_hint: 'refresh_token' })).body,
      ).toMatchObject({
        active: true,
      });
    });

    it('answers {active:false} for an unknown token', async () => {
      const res = await introspect('no-such-token');
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: { active: false },
      });
    });

    it('answers {active:false} for an expired token', async () => {
      const shortLived = await createClient(running, {
        grantTypes: ['client_credentials'],
        accessTokenTtlSeconds: 1,
      });
      const issued = await post(
        running,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        {
          basic: [shortLived.id, shortLived.secret],
        },
      );
      const accessToken = (issued.body as Tokens).access_token;
      expect(await isActive(accessToken)).toBe(true);
      await new Promise((r) => setTimeout(r, 2100));
      expect((await introspect(accessToken)).body).toEqual({ active: false });
    });

    it('answers {active:false} for a revoked token', async () => {
      const tokens = await codeTokens();
      expect((await revoke(tokens.access_token)).status).toBe(200);
      expect((await introspect(tokens.access_token)).body).toEqual({ active: false });
    });

    it('requires client authentication (401 + challenge for bad Basic)', async () => {
      const tokens = await codeTokens();
      const res = await post(
        running,
        '/oauth2/introspect',
        { token: tokens.access_token },
        {
          basic: [resourceServer.id, 'wrong'],
        },
      );
      expectError(res, 401, 'invalid_client', 'Invalid client: client authentication failed');
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="tollgate"');
    });

    it('rejects a caller that sends no credentials, or only a client_id', async () => {
      const tokens = await codeTokens();
      const attempts: Record<string, string>[] = [
        { token: tokens.access_token },
        { token: tokens.access_token, client_id: client.id },
      ];
      for (const params of attempts) {
        const res = await post(running, '/oauth2/introspect', params);
        expect(res.status).toBe(401);
        expect((res.body as { error: string }).error).toBe('invalid_client');
      }
    });

    it('answers 401 to invalid body credentials, like Basic (RFC 7662 section 2.3)', async () => {
      const tokens = await codeTokens();
      const res = await post(running, '/oauth2/introspect', {
        token: tokens.access_token,
        client_id: resourceServer.id,
        client_secret: 'wrong',
      });
      expectError(res, 401, 'invalid_client', 'Invalid client: client authentication failed');
    });

    it("tells a client that is no resource server nothing about another client's tokens (RFC 7662 section 4)", async () => {
      const other = await createClient(running);
      const othersTokens = await codeTokens(other);
      const asClient = (token: string) =>
        post(running, '/oauth2/introspect', { token }, { basic: [client.id, client.secret] });
      expect((await asClient(othersTokens.access_token)).body).toEqual({ active: false });
      expect((await asClient(othersTokens.refresh_token)).body).toEqual({ active: false });
      const own = await codeTokens(client);
      expect((await asClient(own.access_token)).body).toMatchObject({
        active: true,
        client_id: client.id,
      });
      // The resource server still sees the other client's token.
      expect(await isActive(othersTokens.access_token)).toBe(true);
    });

    it('answers invalid_request without a token parameter', async () => {
      const res = await post(
        running,
        '/oauth2/introspect',
        {},
        { basic: [resourceServer.id, resourceServer.secret] },
      );
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'Missing parameter: `token`',
      });
    });
  });

  describe('POST /oauth2/revoke', () => {
    it.each([
      ['with the access_token hint', { token_type_hint: 'access_token' }],
      ['with the wrong hint', { token_type_hint: 'refresh_token' }],
      ['with an unsupported hint (ignored, RFC 7009 section 2.1)', { token_type_hint: 'id_token' }],
      ['without a hint', {}],
    ])('revokes an access token %s', async (_name, hint) => {
      const tokens = await codeTokens();
      const res = await revoke(tokens.access_token, hint);
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: '' });
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await isActive(tokens.access_token)).toBe(false);
      expect(await isActive(tokens.refresh_token)).toBe(true);
    });

    it.each([
      ['with the refresh_token hint', { token_type_hint: 'refresh_token' }],
      ['with the wrong hint', { token_type_hint: 'access_token' }],
      ['without a hint', {}],
    ])('revokes a refresh token and its family %s', async (_name, hint) => {
      const tokens = await codeTokens();
      expect((await revoke(tokens.refresh_token, hint)).status).toBe(200);
      expect(await isActive(tokens.refresh_token)).toBe(false);
      expect(await isActive(tokens.access_token)).toBe(false);
    });

    it('answers 200 for an unknown token', async () => {
      const res = await revoke('no-such-token');
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: '' });
    });

    it("answers 200 but leaves another client's token alone", async () => {
      const other = await createClient(running);
      const tokens = await codeTokens(other);
      expect((await revoke(tokens.access_token)).status).toBe(200);
      expect(await isActive(tokens.access_token)).toBe(true);
    });

    it('lets a public client revoke its own token with client_id alone (RFC 7009 section 5)', async () => {
      const publicClient = await createClient(running, {
        type: 'public',
        grantTypes: ['authorization_code'],
      });
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, publicClient.id, challenge);
      const issued = await post(running, '/oauth2/token', {
        grant_type: 'authorization_code',
        client_id: publicClient.id,
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      });
      const accessToken = (issued.body as Tokens).access_token;
      const res = await post(running, '/oauth2/revoke', {
        token: accessToken,
        client_id: publicClient.id,
      });
      expect(res.status).toBe(200);
      expect(await isActive(accessToken)).toBe(false);
    });

    it('answers invalid_client for a bad secret', async () => {
      const res = await post(
        running,
        '/oauth2/revoke',
        { token: 'x' },
        { basic: [client.id, 'wrong'] },
      );
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: 'invalid_client',
        error_description: 'Invalid client: client authentication failed',
      });
    });
  });

  it('GET /.well-known/oauth-authorization-server describes the server (RFC 8414)', async () => {
    const res = await fetch(`${running.url}/.well-known/oauth-authorization-server`);
    const issuer = running.config.oauth.issuer;
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      // Only what answers is advertised: never the password grant.
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      response_types_supported: ['code'],
      scopes_supported: ['openid', 'profile', 'cache:read', 'cache:write', 'admin'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'none',
      ],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });
});
