import { ClientsService } from '../../../src/clients/clients.service';
import { TokensService } from '../../../src/tokens/tokens.service';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const BASE = '/api/v1/admin/clients';

const confidentialBody = {
  name: 'Billing',
  type: 'confidential',
  grant_types: ['client_credentials'],
  scopes: ['cache:read'],
};

describe('admin API /api/v1/admin/clients', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({
      ...topology().env(),
      ADMIN_TOKEN,
      CLIENT_SECRET_GRACE_SECONDS: '60',
    });
  });
  afterAll(() => running?.close());

  function call(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${running.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('answers 401 with a Bearer challenge without credentials, and 401 invalid_token for a wrong token', async () => {
    const anonymous = await call('GET', BASE, undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="tollgate"');
    const wrong = await call('GET', BASE, undefined, 'not-the-admin-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await wrong.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('creates a client: 201, the secret once, Cache-Control no-store', async () => {
    const res = await call('POST', BASE, { ...confidentialBody, client_id: 'billing' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({
      client_id: 'billing',
      type: 'confidential',
      scopes: ['cache:read'],
    });
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const again = await call('GET', `${BASE}/billing`);
    expect(again.status).toBe(200);
    expect(await again.json()).not.toHaveProperty('client_secret');
  });

  it('answers 409 for a second client with the same id', async () => {
    await call('POST', BASE, { ...confidentialBody, client_id: 'dup' });
    const res = await call('POST', BASE, { ...confidentialBody, client_id: 'dup' });
    expect(res.status).toBe(409);
  });

  it.each([
    ['missing fields', {}, /name|type|grant_types/],
    ['an unknown grant type', { ...confidentialBody, grant_types: ['implicit'] }, /grant_types/],
    ['an unconfigured scope', { ...confidentialBody, scopes: ['root'] }, /root/],
    [
      'an http redirect URI',
      { ...confidentialBody, redirect_uris: ['http://evil.example/cb'] },
      /https/,
    ],
    [
      'a public client with client_credentials',
      { ...confidentialBody, type: 'public' },
      /public clients may not use the client_credentials grant/,
    ],
    ['a wrongly typed field', { ...confidentialBody, scopes: 'cache:read' }, /scopes/],
  ])('answers 400 invalid_request for %s', async (_what, body, message) => {
    const res = await call('POST', BASE, body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error).toBe('invalid_request');
    expect(json.error_description).toMatch(message);
  });

  it('answers 400, never 500, for a body that is not an object (POST and PATCH)', async () => {
    await call('POST', BASE, { ...confidentialBody, client_id: 'shape' });
    for (const [method, path] of [
      ['POST', BASE],
      ['PATCH', `${BASE}/shape`],
    ]) {
      for (const body of ['[1,2]', '"text"', 'null']) {
        const res = await call(method, path, body);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          error: 'invalid_request',
          error_description: 'the body must be a JSON object',
        });
      }
    }
  });

  it('lists every problem of a create at once, saying which fields are required', async () => {
    const res = await call('POST', BASE, {
      name: 'Web',
      grant_types: ['authorization_code'],
      redirect_uris: ['https://*.example.com/cb', 'https://a.example.com\\@evil.com/cb'],
      scopse: ['openid'],
    });
    expect(res.status).toBe(400);
    const { error_description: description } = await res.json();
    for (const part of [
      'unknown field scopse',
      'type is required: confidential or public',
      'scopes is required',
      'wildcard',
      'backslash',
    ]) {
      expect(description).toContain(part);
    }
  });

  describe('PATCH null semantics', () => {
    beforeAll(async () => {
      await call('POST', BASE, {
        ...confidentialBody,
        client_id: 'nulls',
        access_token_ttl_seconds: 300,
        refresh_token_ttl_seconds: 600,
      });
    });

    it.each(['name', 'grant_types', 'scopes', 'redirect_uris'])(
      'answers 400 naming %s when it is null, and changes nothing',
      async (field) => {
        const before = await (await call('GET', `${BASE}/nulls`)).json();
        const res = await call('PATCH', `${BASE}/nulls`, { [field]: null });
        expect(res.status).toBe(400);
        expect((await res.json()).error_description).toContain(`${field} must not be null`);
        expect(await (await call('GET', `${BASE}/nulls`)).json()).toEqual(before);
      },
    );

    it('clears a TTL override set to null', async () => {
      const res = await call('PATCH', `${BASE}/nulls`, { access_token_ttl_seconds: null });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).not.toHaveProperty('access_token_ttl_seconds');
      expect(body.refresh_token_ttl_seconds).toBe(600);
      const stored = await (await call('GET', `${BASE}/nulls`)).json();
      expect(stored).not.toHaveProperty('access_token_ttl_seconds');
    });
  });

  it('registers the token endpoint auth method and the resource-server flag', async () => {
    const res = await call('POST', BASE, {
      ...confidentialBody,
      client_id: 'api',
      token_endpoint_auth_method: 'client_secret_post',
      resource_server: true,
      grant_types: [],
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      token_endpoint_auth_method: 'client_secret_post',
      resource_server: true,
      grant_types: [],
    });
    const pub = await call('POST', BASE, {
      name: 'SPA',
      type: 'public',
      redirect_uris: ['https://spa.example.com/cb'],
      grant_types: ['authorization_code'],
      scopes: [],
    });
    expect(await pub.json()).toMatchObject({
      token_endpoint_auth_method: 'none',
      resource_server: false,
    });
  });

  it.each([
    [
      {
        type: 'public',
        grant_types: ['refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      /must be none/,
    ],
    [{ token_endpoint_auth_method: 'none' }, /client_secret_basic or client_secret_post/],
    [{ grant_types: [] }, /grant_types may be empty only for a resource server/],
  ])(
    'refuses an auth method or grant list that does not fit the client: %j',
    async (change, message) => {
      const res = await call('POST', BASE, { ...confidentialBody, ...change });
      expect(res.status).toBe(400);
      expect((await res.json()).error_description).toMatch(message);
    },
  );

  it('stores require_pkce (default true), and refuses false for a public client', async () => {
    const spa = {
      name: 'SPA',
      type: 'public',
      redirect_uris: ['https://spa.example.com/cb'],
      grant_types: ['authorization_code'],
      scopes: [],
    };
    const refused = await call('POST', BASE, { ...spa, require_pkce: false });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error_description).toMatch(
      /require_pkce must be true for a public client/,
    );
    const created = await (await call('POST', BASE, { ...spa, client_id: 'spa-pkce' })).json();
    expect(created.require_pkce).toBe(true);
    const patchPublic = await call('PATCH', `${BASE}/spa-pkce`, { require_pkce: false });
    expect(patchPublic.status).toBe(400);
    expect((await call('GET', `${BASE}/spa-pkce`)).status).toBe(200);
    expect((await (await call('GET', `${BASE}/spa-pkce`)).json()).require_pkce).toBe(true);

    const web = { ...confidentialBody, client_id: 'legacy-web', require_pkce: false };
    expect((await (await call('POST', BASE, web)).json()).require_pkce).toBe(false);
    const nulled = await call('PATCH', `${BASE}/legacy-web`, { require_pkce: null });
    expect(nulled.status).toBe(400);
    expect((await nulled.json()).error_description).toMatch(/require_pkce must not be null/);
    const back = await call('PATCH', `${BASE}/legacy-web`, { require_pkce: true });
    expect((await back.json()).require_pkce).toBe(true);
    expect((await (await call('GET', `${BASE}/legacy-web`)).json()).require_pkce).toBe(true);
  });

  it('lists, gets, updates and deletes; unknown ids are 404', async () => {
    await call('POST', BASE, { ...confidentialBody, client_id: 'crud' });
    const list = await (await call('GET', BASE)).json();
    expect(list.clients.map((c: { client_id: string }) => c.client_id)).toContain('crud');

    const patched = await call('PATCH', `${BASE}/crud`, {
      name: 'Renamed',
      scopes: ['cache:read', 'cache:write'],
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      name: 'Renamed',
      scopes: ['cache:read', 'cache:write'],
    });
    expect((await call('PATCH', `${BASE}/crud`, { scopes: ['root'] })).status).toBe(400);

    for (const res of [
      await call('GET', `${BASE}/never`),
      await call('DELETE', `${BASE}/never`),
      await call('PATCH', `${BASE}/never`, { name: 'x' }),
      await call('POST', `${BASE}/never/rotate-secret`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers every success with Cache-Control no-store', async () => {
    await call('POST', BASE, { ...confidentialBody, client_id: 'nostore' });
    for (const res of [
      await call('GET', BASE),
      await call('GET', `${BASE}/nostore`),
      await call('PATCH', `${BASE}/nostore`, { name: 'x' }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('rotates a secret: new one returned once with no-store, both verify during the grace period', async () => {
    const created = await (
      await call('POST', BASE, { ...confidentialBody, client_id: 'rot' })
    ).json();
    const res = await call('POST', `${BASE}/rot/rotate-secret`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const rotated = await res.json();
    expect(rotated.client_secret).not.toBe(created.client_secret);
    const { ClientsService } = await import('../../../src/clients/clients.service');
    const clients = running.app.get(ClientsService);
    expect(await clients.authenticate('rot', rotated.client_secret)).not.toBeNull();
    expect(await clients.authenticate('rot', created.client_secret)).not.toBeNull();
  });

  it('rotates with grace_seconds 0: the old secret stops at once, on another instance within 1 s', async () => {
    const other = await startApp({ ...topology().env(), ADMIN_TOKEN });
    try {
      const { ClientsService } = await import('../../../src/clients/clients.service');
      const here = running.app.get(ClientsService);
      const created = await (
        await call('POST', BASE, { ...confidentialBody, client_id: 'leaked' })
      ).json();
      expect(await here.authenticate('leaked', created.client_secret)).not.toBeNull();
      const res = await fetch(`${other.url}${BASE}/leaked/rotate-secret`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grace_seconds: 0 }),
      });
      expect(res.status).toBe(200);
      const rotated = await res.json();
      expect(
        await other.app.get(ClientsService).authenticate('leaked', created.client_secret),
      ).toBeNull();
      await eventually(
        async () => (await here.authenticate('leaked', created.client_secret)) === null,
        1000,
        'the old secret refused on the first instance',
      );
      expect(await here.authenticate('leaked', rotated.client_secret)).not.toBeNull();
    } finally {
      await other.close();
    }
  });

  it('refuses a bad grace_seconds', async () => {
    await call('POST', BASE, { ...confidentialBody, client_id: 'rot-bad' });
    const res = await call('POST', `${BASE}/rot-bad/rotate-secret`, { grace_seconds: -1 });
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toContain('grace_seconds');
  });

  it('admits an access token with the admin scope and refuses one without it (403)', async () => {
    const tokens = running.app.get(TokensService);
    // Tokens are only issued to a stored client, checked by generation.
    const { ClientsService } = await import('../../../src/clients/clients.service');
    const { client } = await running.app.get(ClientsService).create({
      id: 'ops',
      name: 'ops',
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['admin', 'cache:read'],
    });
    const issue = (scope: string[]) =>
      tokens.issue(
        { clientId: 'ops', scope },
        {
          grantType: 'client_credentials',
          withRefreshToken: false,
          accessTtlSeconds: 60,
          refreshTtlSeconds: 60,
          clientGeneration: client.generation,
        },
      );
    const admin = await issue(['admin']);
    expect((await call('GET', BASE, undefined, admin.accessToken)).status).toBe(200);
    const reader = await issue(['cache:read']);
    const res = await call('GET', BASE, undefined, reader.accessToken);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  describe('tokens die with their client', () => {
    async function clientWithTokens(id: string) {
      await call('POST', BASE, { ...confidentialBody, client_id: id });
      const generation = (await running.app.get(ClientsService).get(id))?.generation ?? '';
      const tokens = running.app.get(TokensService);
      const issued = await Promise.all(
        [1, 2].map(() =>
          tokens.issue(
            { clientId: id, scope: ['cache:read'] },
            {
              grantType: 'client_credentials',
              withRefreshToken: false,
              accessTtlSeconds: 60,
              refreshTtlSeconds: 60,
              clientGeneration: generation,
            },
          ),
        ),
      );
      expect(await tokens.introspect(issued[0].accessToken)).not.toBeNull();
      return { tokens, issued };
    }

    it('deletes a client (204), then revokes every token issued to it', async () => {
      const { tokens, issued } = await clientWithTokens('doomed');
      expect((await call('DELETE', `${BASE}/doomed`)).status).toBe(204);
      expect((await call('GET', `${BASE}/doomed`)).status).toBe(404);
      for (const { accessToken } of issued) expect(await tokens.introspect(accessToken)).toBeNull();
      expect((await call('DELETE', `${BASE}/doomed`)).status).toBe(404);
    });

    it('POST /{id}/revoke-tokens answers 200 {revoked: n} and keeps the client', async () => {
      const { tokens, issued } = await clientWithTokens('revoked-all');
      const res = await call('POST', `${BASE}/revoked-all/revoke-tokens`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ revoked: 2 });
      for (const { accessToken } of issued) expect(await tokens.introspect(accessToken)).toBeNull();
      expect((await call('GET', `${BASE}/revoked-all`)).status).toBe(200);
    });
  });

  it('answers 503 with Retry-After while Redis is unreachable (never a 500)', async () => {
    const down = await startApp({ REDIS_URL: 'redis://127.0.0.1:1', ADMIN_TOKEN });
    try {
      const res = await fetch(`${down.url}${BASE}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    } finally {
      await down.close();
    }
  });
});
