import type { Counter } from 'prom-client';
import type { AppConfig } from '../../../src/config/app-config';
import { sha256Hex } from '../../../src/security/secrets';
import { SessionsService } from '../../../src/sessions/sessions.service';
import { FakeSessionStore } from './fake-session.store';

const config = { sessions: { ttlSeconds: 3600 } } as AppConfig;
const context = { userAgent: 'Firefox', ip: '192.0.2.7' };

function setup() {
  const store = new FakeSessionStore();
  const counter = { inc: jest.fn() };
  const service = new SessionsService(store, config, counter as unknown as Counter<string>);
  const events = (event: string) =>
    counter.inc.mock.calls
      .filter(([labels]) => labels.event === event)
      .reduce((sum, call) => sum + ((call[1] as number | undefined) ?? 1), 0);
  return { store, service, events };
}

afterEach(() => jest.useRealTimers());

describe('SessionsService', () => {
  it('returns a 256-bit id once and stores only its SHA-256 digest', async () => {
    const { store, service, events } = setup();
    const issued = await service.create('u1', context);
    expect(issued.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.handle).toBe(sha256Hex(issued.id));
    expect([...store.records.keys()]).toEqual([issued.handle]);
    expect(JSON.stringify([...store.records.values()])).not.toContain(issued.id);
    expect(events('created')).toBe(1);
  });

  it('finds the session with user, auth time, activity and where it was opened', async () => {
    const { service } = setup();
    const before = Date.now();
    const issued = await service.create('u1', context);
    const session = await service.find(issued.id);
    expect(session).toMatchObject({ userId: 'u1', userAgent: 'Firefox', ip: '192.0.2.7' });
    expect(session!.authTime.getTime()).toBeLessThanOrEqual(before + 1000);
    expect(session!.expiresAt.getTime() - before).toBeGreaterThan(3_599_000);
    expect(await service.find('not-an-id')).toBeNull();
    expect(await service.find(undefined)).toBeNull();
  });

  it('touches and records consent without moving the expiry', async () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const { service } = setup();
    const issued = await service.create('u1', context);
    jest.advanceTimersByTime(60_000);
    const touched = await service.touch(issued.id);
    expect(touched!.lastActivity.getTime()).toBe(1_700_000_060_000);
    expect(touched!.expiresAt).toEqual(issued.expiresAt);
    const consented = await service.recordConsent(issued.id, 'app', ['openid', 'profile']);
    expect(consented!.consents).toEqual({ app: ['openid', 'profile'] });
    expect(consented!.expiresAt).toEqual(issued.expiresAt);
  });

  it('does not revive an expired session on update', async () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const { service, store } = setup();
    const issued = await service.create('u1', context);
    jest.advanceTimersByTime(3_600_000);
    expect(await service.touch(issued.id)).toBeNull();
    expect(await service.recordConsent(issued.id, 'app', ['openid'])).toBeNull();
    expect(await service.find(issued.id)).toBeNull();
    expect(store.records.get(issued.handle)!.fields['consent:app']).toBeUndefined();
  });

  it('refuses a client id that cannot be a field name', async () => {
    const { service } = setup();
    const issued = await service.create('u1', context);
    expect(() => service.recordConsent(issued.id, 'a b', ['openid'])).toThrow(RangeError);
  });

  it('ends the session the browser presented when the user logs in (no fixation)', async () => {
    const { service, events } = setup();
    const planted = await service.create('attacker', context);
    const fresh = await service.create('victim', context, { replaces: planted.id });
    expect(await service.find(planted.id)).toBeNull();
    expect((await service.find(fresh.id))!.userId).toBe('victim');
    expect(events('ended')).toBe(1);
  });

  it('rotates a live session: new id, same user and consents, old id dead, no longer life', async () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const { service, events } = setup();
    const old = await service.create('u1', context);
    await service.recordConsent(old.id, 'app', ['openid']);
    jest.advanceTimersByTime(10_000);
    const rotated = await service.rotate(old.id, { userAgent: 'Chrome', ip: '192.0.2.8' });
    expect(rotated!.id).not.toBe(old.id);
    expect(rotated!.expiresAt).toEqual(old.expiresAt);
    expect(await service.find(old.id)).toBeNull();
    const session = await service.find(rotated!.id);
    expect(session).toMatchObject({
      userId: 'u1',
      userAgent: 'Chrome',
      consents: { app: ['openid'] },
    });
    expect(events('created')).toBe(2);
    expect(events('ended')).toBe(1);
    expect(await service.rotate(old.id, context)).toBeNull();
  });

  it('lists, ends one by handle (own user only) and ends all sessions of a user', async () => {
    const { service, events } = setup();
    const a = await service.create('u1', context);
    const b = await service.create('u1', context);
    const other = await service.create('u2', context);
    expect((await service.listForUser('u1')).map((s) => s.handle).sort()).toEqual(
      [a.handle, b.handle].sort(),
    );
    expect(await service.endByHandle('u1', other.handle)).toBe(false);
    expect(await service.endByHandle('u1', a.handle)).toBe(true);
    expect(await service.endAllForUser('u1')).toBe(1);
    expect(await service.listForUser('u1')).toEqual([]);
    expect(await service.find(other.id)).not.toBeNull();
    expect(events('ended')).toBe(2);
  });

  it('ends a session at logout once', async () => {
    const { service, events } = setup();
    const issued = await service.create('u1', context);
    expect(await service.end(issued.id)).toBe(true);
    expect(await service.end(issued.id)).toBe(false);
    expect(await service.end('garbage')).toBe(false);
    expect(events('ended')).toBe(1);
  });
});
