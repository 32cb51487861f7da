import { TokensService } from '../../../src/tokens/tokens.service';
import { useTopology } from '../../support/redis-topology';
import { RunningApp, startApp } from '../../support/test-app';

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

  it('answers 400, never 500, for a body that is not an object', async () => {
    for (const body of ['[1,2]', '"text"', 'null']) {
      const res = await call('POST', BASE, body);
      expect(res.status).toBe(400);
    }
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

    expect((await call('DELETE', `${BASE}/crud`)).status).toBe(204);
    expect((await call('GET', `${BASE}/crud`)).status).toBe(404);
    expect((await call('DELETE', `${BASE}/crud`)).status).toBe(404);
    expect((await call('PATCH', `${BASE}/crud`, { name: 'x' })).status).toBe(404);
    expect((await call('POST', `${BASE}/crud/rotate-secret`)).status).toBe(404);
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
