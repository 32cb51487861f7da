import { SessionsService } from '../../../src/sessions/sessions.service';
import { useTopology } from '../../support/redis-topology';
import { RunningApp, startApp } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const context = { userAgent: 'Firefox/140', ip: '192.0.2.7' };

describe('admin API /api/v1/admin/users/{userId}/sessions', () => {
  let running: RunningApp;
  let sessions: SessionsService;

  beforeAll(async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN });
    sessions = running.app.get(SessionsService);
  });
  afterAll(() => running?.close());

  const call = (method: string, path: string, token: string | null = ADMIN_TOKEN) =>
    fetch(`${running.url}/api/v1/admin/users/${path}`, {
      method,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });

  it('refuses callers without the admin credential', async () => {
    expect((await call('GET', 'alice/sessions', null)).status).toBe(401);
    expect((await call('DELETE', 'alice/sessions', 'wrong-token')).status).toBe(401);
  });

  it('lists a user’s live sessions by handle, never by id, without caching', async () => {
    const alice = `alice-${Date.now()}`;
    const issued = await sessions.create(alice, context);
    await sessions.recordConsent(issued.id, 'app', ['openid']);
    const res = await call('GET', `${alice}/sessions`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = (await res.json()) as { sessions: Array<Record<string, unknown>> };
    expect(body.sessions).toEqual([
      expect.objectContaining({
        handle: issued.handle,
        user_id: alice,
        user_agent: 'Firefox/140',
        ip: '192.0.2.7',
        consents: { app: ['openid'] },
      }),
    ]);
    const expiresAt = Date.parse(body.sessions[0].expires_at as string);
    expect(Math.abs(expiresAt - issued.expiresAt.getTime())).toBeLessThan(100);
    expect(JSON.stringify(body)).not.toContain(issued.id);
  });

  it('ends one session by handle, and 404s for an unknown handle or another user’s', async () => {
    const a = await sessions.create('bob', context);
    const b = await sessions.create('bob', context);
    expect((await call('DELETE', `carol/sessions/${a.handle}`)).status).toBe(404);
    expect((await call('DELETE', 'bob/sessions/not-a-handle')).status).toBe(404);
    expect((await call('DELETE', `bob/sessions/${a.handle}`)).status).toBe(204);
    expect((await call('DELETE', `bob/sessions/${a.handle}`)).status).toBe(404);
    expect(await sessions.find(a.id)).toBeNull();
    expect(await sessions.find(b.id)).not.toBeNull();
  });

  it('ends every session of a user', async () => {
    const all = await Promise.all([1, 2].map(() => sessions.create('dave', context)));
    const res = await call('DELETE', 'dave/sessions');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ended: 2 });
    for (const s of all) expect(await sessions.find(s.id)).toBeNull();
    const after = (await (await call('GET', 'dave/sessions')).json()) as { sessions: unknown[] };
    expect(after.sessions).toEqual([]);
  });

  it('rejects a malformed user id with invalid_request', async () => {
    const res = await call('GET', 'a%20b/sessions');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });
});
