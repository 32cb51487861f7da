import { useTopology } from '../../support/redis-topology';
import { RunningApp, startApp } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const BASE = '/api/v1/admin/users';
const PASSWORD = 'correct horse battery';

describe('admin API /api/v1/admin/users', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN, PASSWORD_SCRYPT_N: '1024' });
  });
  afterAll(() => running?.close());

  function call(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${running.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function create(username: string): Promise<{ user_id: string }> {
    const res = await call('POST', BASE, { username, password: PASSWORD });
    expect(res.status).toBe(201);
    return res.json();
  }

  it('answers 401 without the admin credential', async () => {
    const res = await call('GET', BASE, undefined, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tollgate"');
  });

  it('creates a user: 201, no-store, and no password or hash in the answer', async () => {
    const res = await call('POST', BASE, {
      username: 'Alice',
      password: PASSWORD,
      display_name: 'A',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toMatch(/password|scrypt/);
    expect(JSON.parse(text)).toEqual({
      user_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: 'Alice',
      display_name: 'A',
      disabled: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it('answers 409 username_taken for concurrent creates of one name: exactly one 201', async () => {
    const statuses = await Promise.all(
      ['carol', 'Carol', 'CAROL'].map(async (username) => {
        const res = await call('POST', BASE, { username, password: PASSWORD });
        return [res.status, await res.json()] as const;
      }),
    );
    expect(statuses.map(([s]) => s).sort()).toEqual([201, 409, 409]);
    const conflict = statuses.find(([s]) => s === 409)![1];
    expect(conflict).toEqual({
      error: 'username_taken',
      error_description: expect.stringMatching(/^username "carol" is already taken$/i),
    });
  });

  it('lists every problem of a bad body in one 400, never echoing the password', async () => {
    const res = await call('POST', BASE, { username: 'bad name', password: 'short', extra: 1 });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(/unknown field extra/);
    expect(body.error_description).toMatch(/username must be/);
    expect(body.error_description).toMatch(/password must be at least 12 characters/);
    expect(body.error_description).not.toContain('short');
  });

  it('answers 400 for missing fields and a non-object body', async () => {
    const missing = await call('POST', BASE, {});
    expect(missing.status).toBe(400);
    expect((await missing.json()).error_description).toMatch(
      /username is required.*password is required/,
    );
    expect((await call('POST', BASE, [1])).status).toBe(400);
  });

  it('gets and lists users; 404 for an unknown id', async () => {
    const { user_id } = await create('dave');
    const got = await call('GET', `${BASE}/${user_id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ user_id, username: 'dave' });
    const list = await (await call('GET', BASE)).json();
    expect(list.users.map((u: { username: string }) => u.username)).toContain('dave');
    // The list shows users only: no per-answer extras such as revoked_tokens.
    for (const u of list.users) expect(u).not.toHaveProperty('revoked_tokens');
    const unknown = await call('GET', `${BASE}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
  });

  it('disables and enables with PATCH {disabled}, refusing password and username changes there', async () => {
    const { user_id } = await create('erin');
    const disabled = await call('PATCH', `${BASE}/${user_id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({
      disabled: true,
      revoked_tokens: 0,
      ended_sessions: 0,
    });
    const enabled = await call('PATCH', `${BASE}/${user_id}`, { disabled: false });
    expect(await enabled.json()).toMatchObject({ disabled: false });
    const bad = await call('PATCH', `${BASE}/${user_id}`, { password: PASSWORD, username: 'x' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error_description).toMatch(
      /unknown field password.*unknown field username/,
    );
    expect((await call('PATCH', `${BASE}/nope`, { disabled: true })).status).toBe(404);
  });

  it('resets a password (200, not echoed) and refuses a short one', async () => {
    const { user_id } = await create('frank');
    const res = await call('POST', `${BASE}/${user_id}/reset-password`, {
      password: 'another long passphrase',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toMatch(/passphrase|password/);
    const short = await call('POST', `${BASE}/${user_id}/reset-password`, { password: 'short' });
    expect(short.status).toBe(400);
    const none = await call('POST', `${BASE}/nope/reset-password`, { password: PASSWORD });
    expect(none.status).toBe(404);
  });

  it('deletes a user: 204, then 404, and the name is free again', async () => {
    const { user_id } = await create('gina');
    expect((await call('DELETE', `${BASE}/${user_id}`)).status).toBe(204);
    expect((await call('GET', `${BASE}/${user_id}`)).status).toBe(404);
    expect((await call('DELETE', `${BASE}/${user_id}`)).status).toBe(404);
    await create('gina');
    const revoke = await call('POST', `${BASE}/${user_id}/revoke-tokens`);
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toEqual({ revoked: 0 });
  });
});
