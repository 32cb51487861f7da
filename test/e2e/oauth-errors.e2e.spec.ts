/**
 * RFC 6749 section 5.2 error responses of the token endpoint, asserted exactly (status,
 * body, headers) over plain HTTP, like node-oidc-provider's protocol tests.
 */
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

describe('POST /oauth2/token errors (RFC 6749 section 5.2)', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;
  let client: { id: string; secret: string };
  const token = (params: Record<string, string> | [string, string][], basic = true, raw?: string) =>
    post(running, '/oauth2/token', params, {
      basic: basic ? [client.id, client.secret] : undefined,
      raw,
    });

  beforeAll(async () => {
    running = await startReadyApp(topology().env());
    client = await createClient(running);
  });
  afterAll(async () => {
    await running?.close();
  });

  describe('invalid_request', () => {
    it('when grant_type is missing', async () => {
      expectError(
        await token({ scope: 'openid' }),
        400,
        'invalid_request',
        'Missing parameter: `grant_type`',
      );
    });

    it('when a parameter is included more than once (RFC 6749 section 3.2)', async () => {
      const res = await token([
        ['grant_type', 'client_credentials'],
        ['grant_type', 'client_credentials'],
      ]);
      expectError(
        res,
        400,
        'invalid_request',
        'Invalid request: parameter `grant_type` is included more than once',
      );
    });

    it.each([
      ['application/json', '{"grant_type":"client_credentials"}'],
      ['application/json', '{"grant_type":'],
      ['text/plain', 'grant_type=client_credentials'],
      ['application/xml', '<grant_type/>'],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('when the content type is %s (body %s)', async (contentType, raw) => {
      const res = await post(
        running,
        '/oauth2/token',
        {},
        {
          basic: [client.id, client.secret],
          headers: { 'content-type': contentType },
          raw,
        },
      );
      expectError(
        res,
        400,
        'invalid_request',
        'Invalid request: content must be application/x-www-form-urlencoded',
      );
    });

    it('when a field is oversized', async () => {
      const res = await token({ grant_type: 'client_credentials', scope: 'a'.repeat(5000) });
      expectError(
        res,
        400,
        'invalid_request',
        'Invalid request: parameter `scope` exceeds 4096 characters',
      );
    });

    it('when the whole body is over the body limit', async () => {
      const res = await token({ grant_type: 'client_credentials', junk: 'a'.repeat(70_000) });
      expectError(res, 400, 'invalid_request', 'Invalid request: body exceeds 65536 bytes');
    });

    it('when Basic and body credentials are combined (RFC 6749 section 2.3)', async () => {
      const res = await token({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      });
      expectError(
        res,
        400,
        'invalid_request',
        'Invalid request: client authentication must use exactly one method (Basic or body parameters)',
      );
    });

    it('when redirect_uri is missing from a code redemption', async () => {
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      const res = await token({ grant_type: 'authorization_code', code, code_verifier: verifier });
      expectError(res, 400, 'invalid_request', 'Missing parameter: `redirect_uri`');
    });
  });

  describe('invalid_client', () => {
    it('is 401 with a Basic challenge when the client used Basic', async () => {
      const res = await post(
        running,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { basic: [client.id, 'wrong'] },
      );
      expectError(res, 401, 'invalid_client', 'Invalid client: client authentication failed');
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="tollgate"');
    });

    it('is 400 without a challenge when the client sent body credentials', async () => {
      const res = await token(
        { grant_type: 'client_credentials', client_id: client.id, client_secret: 'wrong' },
        false,
      );
      expectError(res, 400, 'invalid_client', 'Invalid client: client authentication failed');
      expect(res.headers.get('www-authenticate')).toBeNull();
    });

    it('for an unknown client', async () => {
      const res = await post(
        running,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { basic: ['nobody', 'x'] },
      );
      expectError(res, 401, 'invalid_client', 'Invalid client: client authentication failed');
    });

    it('for a confidential client redeeming a code without its secret', async () => {
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      const res = await token(
        {
          grant_type: 'authorization_code',
          client_id: client.id,
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT_URI,
        },
        false,
      );
      expectError(res, 400, 'invalid_client', 'Invalid client: client authentication failed');
    });
  });

  describe('invalid_grant', () => {
    const redeem = (code: string, verifier: string, redirectUri = REDIRECT_URI) =>
      token({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
      });

    it('for a code that was already used', async () => {
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      expect((await redeem(code, verifier)).status).toBe(200);
      expectError(
        await redeem(code, verifier),
        400,
        'invalid_grant',
        'Invalid grant: authorization code was already used; its tokens are revoked',
      );
    });

    it('for a wrong PKCE verifier, and the code is burnt afterwards', async () => {
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      expectError(
        await redeem(code, pkcePair().verifier),
        400,
        'invalid_grant',
        'Invalid grant: code verifier is invalid',
      );
      expectError(
        await redeem(code, verifier),
        400,
        'invalid_grant',
        'Invalid grant: authorization code was already used; its tokens are revoked',
      );
    });

    it('for a redirect_uri that differs from the authorization request', async () => {
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge);
      expectError(
        await redeem(code, verifier, 'https://app.example.com/other'),
        400,
        'invalid_grant',
        'Invalid grant: `redirect_uri` does not match the authorization request',
      );
    });

    it('for a code issued to another client', async () => {
      const other = await createClient(running);
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, other.id, challenge);
      expectError(
        await redeem(code, verifier),
        400,
        'invalid_grant',
        'Invalid grant: authorization code is invalid',
      );
    });

    it('for an unknown refresh token', async () => {
      const res = await token({ grant_type: 'refresh_token', refresh_token: 'not-a-token' });
      expectError(res, 400, 'invalid_grant', 'Invalid grant: refresh token is invalid');
    });
  });

  it('unauthorized_client for a grant the client may not use', async () => {
    const codeOnly = await createClient(running, { grantTypes: ['authorization_code'] });
    const res = await post(
      running,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { basic: [codeOnly.id, codeOnly.secret] },
    );
    expectError(res, 400, 'unauthorized_client', 'Unauthorized client: `grant_type` is invalid');
  });

  it.each(['urn:ietf:params:oauth:grant-type:device_code', 'password', 'implicit'])(
    'unsupported_grant_type for %s',
    async (grantType) => {
      const res = await token({ grant_type: grantType });
      expectError(
        res,
        400,
        'unsupported_grant_type',
        'Unsupported grant type: `grant_type` is invalid',
      );
    },
  );

  describe('invalid_scope', () => {
    it("for a scope outside the client's scopes", async () => {
      const res = await token({ grant_type: 'client_credentials', scope: 'openid admin' });
      expectError(res, 400, 'invalid_scope', 'Invalid scope: Requested scope is invalid');
    });

    it('for a refresh asking for more than the original grant', async () => {
      const { verifier, challenge } = pkcePair();
      const code = await mintCode(running, client.id, challenge, ['openid']);
      const issued = await token({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      });
      const refreshToken = (issued.body as { refresh_token: string }).refresh_token;
      const res = await token({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        scope: 'openid profile',
      });
      expectError(
        res,
        400,
        'invalid_scope',
        'Invalid scope: requested scope exceeds the original grant',
      );
    });
  });

  it('sets no-store and no-cache on successful token responses too', async () => {
    const res = await token({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
  });
});

describe('POST /oauth2/token with PASSWORD_GRANT_ENABLED', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;

  beforeAll(async () => {
    running = await startReadyApp({ ...topology().env(), PASSWORD_GRANT_ENABLED: 'true' });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('answers unsupported_grant_type saying no user store is configured', async () => {
    const client = await createClient(running, { grantTypes: ['password'] });
    const res = await post(
      running,
      '/oauth2/token',
      { grant_type: 'password', username: 'alice', password: 'secret' },
      { basic: [client.id, client.secret] },
    );
    expectError(
      res,
      400,
      'unsupported_grant_type',
      'Unsupported grant type: `password` is enabled but no user store is configured',
    );
  });
});
