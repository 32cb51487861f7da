import { keys } from '../../../src/redis/keys';
import { sha256Hex } from '../../../src/security/secrets';
import { useTopology } from '../../support/redis-topology';
import { eventually } from '../../support/test-app';
import { dumpAll } from '../tokens/tokens-harness';
import { SessionsHarness, sleep, startSessions } from './sessions-harness';

const topology = useTopology({ mode: 'standalone' });
const context = { userAgent: 'Firefox/140', ip: '192.0.2.7' };
let h: SessionsHarness;
/** The same server with SESSION_TTL_SECONDS=1, for expiry tests. */
let brief: SessionsHarness;

beforeAll(async () => {
  h = await startSessions(topology().env());
  brief = await startSessions({ ...topology().env(), SESSION_TTL_SECONDS: '1' });
});
afterAll(async () => {
  await h?.close();
  await brief?.close();
});

const sessionKey = (id: string) => keys.session(sha256Hex(id));

describe('session storage', () => {
  it('stores the session under the digest of its id, never the id, with the configured TTL', async () => {
    const issued = await h.sessions.create('storage-user', context);
    const key = sessionKey(issued.id);
    expect(await h.redis.hgetall(key)).toMatchObject({
      user_id: 'storage-user',
      user_agent: 'Firefox/140',
      ip: '192.0.2.7',
    });
    const pttl = await h.redis.pttl(key);
    expect(pttl).toBeGreaterThan(3_590_000);
    expect(pttl).toBeLessThanOrEqual(3_600_000);
    expect((await dumpAll(h.redis)).join(' ')).not.toContain(issued.id);
    expect(await h.redis.zrange(keys.userSessions('storage-user'), '0', '-1')).toEqual([key]);
  });
});

describe('updates', () => {
  it('lose no field and never extend or drop the TTL under 100 concurrent updates', async () => {
    const issued = await h.sessions.create('busy-user', context);
    const key = sessionKey(issued.id);
    const before = await h.redis.pttl(key);
    const clients = Array.from({ length: 50 }, (_, i) => `client-${i}`);
    const results = await Promise.all([
      ...clients.map(() => h.sessions.touch(issued.id)),
      ...clients.map((c) => h.sessions.recordConsent(issued.id, c, ['openid', c])),
    ]);
    const after = await h.redis.pttl(key);

    expect(results.every((s) => s !== null)).toBe(true);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(before);
    const session = await h.sessions.find(issued.id);
    for (const c of clients) expect(session!.consents[c]).toEqual(['openid', c]);
    expect(session).toMatchObject({ userId: 'busy-user', userAgent: 'Firefox/140' });
    expect(session!.lastActivity.getTime()).toBeGreaterThanOrEqual(session!.createdAt.getTime());
  });

  it('cannot revive an expired session: the update finds nothing and writes nothing', async () => {
    const issued = await brief.sessions.create('expired-user', context);
    await sleep(1100);
    expect(await brief.sessions.touch(issued.id)).toBeNull();
    expect(await brief.sessions.recordConsent(issued.id, 'app', ['openid'])).toBeNull();
    expect(await brief.redis.exists(sessionKey(issued.id))).toBe(0);
    expect(await brief.sessions.find(issued.id)).toBeNull();
  });

  it('does not write to a session key that has no expiry (never written so)', async () => {
    const issued = await h.sessions.create('persist-user', context);
    await h.redis.persist(sessionKey(issued.id));
    expect(await h.sessions.touch(issued.id)).toBeNull();
    expect(await h.redis.pttl(sessionKey(issued.id))).toBe(-1);
    await h.redis.del(sessionKey(issued.id));
  });

  it('cannot revive an ended session', async () => {
    const issued = await h.sessions.create('ended-user', context);
    expect(await h.sessions.end(issued.id)).toBe(true);
    expect(await h.sessions.touch(issued.id)).toBeNull();
    expect(await h.redis.exists(sessionKey(issued.id))).toBe(0);
    expect(await h.redis.exists(keys.userSessions('ended-user'))).toBe(0);
  });
});

describe('the per-user session index', () => {
  it('lists live sessions and returns to empty after they expire, leaking no key', async () => {
    const baseline = await brief.redis.dbsize();
    const first = await brief.sessions.create('leaky-user', context);
    await sleep(600);
    const second = await brief.sessions.create('leaky-user', context);
    const listed = await brief.sessions.listForUser('leaky-user');
    expect(listed.map((s) => s.handle)).toEqual([sha256Hex(first.id), sha256Hex(second.id)]);
    const index = keys.userSessions('leaky-user');
    const indexTtl = await brief.redis.pttl(index);
    expect(indexTtl).toBeGreaterThan(0);
    expect(indexTtl).toBeLessThanOrEqual(1000);

    await sleep(600); // the first expired: the next write trims it
    const third = await brief.sessions.create('leaky-user', context);
    expect(await brief.redis.zrange(index, '0', '-1')).toEqual([
      sessionKey(second.id),
      sessionKey(third.id),
    ]);
    await sleep(1100);
    expect(await brief.sessions.listForUser('leaky-user')).toEqual([]);
    await eventually(async () => (await brief.redis.dbsize()) === baseline, 5000, 'no leaked key');
  });

  it('ends every session of a user with endAllForUser, and only that user', async () => {
    const mine = await Promise.all([1, 2, 3].map(() => h.sessions.create('leaving-user', context)));
    const theirs = await h.sessions.create('staying-user', context);
    const ended = await h.sessionEvents('ended');
    expect(await h.sessions.endAllForUser('leaving-user')).toBe(3);
    for (const s of mine) expect(await h.sessions.find(s.id)).toBeNull();
    expect(await h.redis.keys('*leaving-user*')).toEqual([]);
    expect(await h.sessions.listForUser('leaving-user')).toEqual([]);
    expect(await h.sessions.find(theirs.id)).not.toBeNull();
    expect(await h.sessionEvents('ended')).toBe(ended + 3);
    expect(await h.sessions.endAllForUser('leaving-user')).toBe(0);
  });

  it('ends one session by handle for its own user only', async () => {
    const a = await h.sessions.create('handle-user', context);
    const b = await h.sessions.create('handle-user', context);
    expect(await h.sessions.endByHandle('someone-else', sha256Hex(a.id))).toBe(false);
    expect(await h.sessions.endByHandle('handle-user', sha256Hex(a.id))).toBe(true);
    expect(await h.sessions.find(a.id)).toBeNull();
    expect(await h.redis.zrange(keys.userSessions('handle-user'), '0', '-1')).toEqual([
      sessionKey(b.id),
    ]);
  });
});

describe('login and rotation (no session fixation)', () => {
  it('ends the session the browser presented, of whichever user, when a user logs in', async () => {
    const planted = await h.sessions.create('attacker', context);
    const fresh = await h.sessions.create('victim', context, { replaces: planted.id });
    expect(await h.sessions.find(planted.id)).toBeNull();
    expect(await h.redis.exists(keys.userSessions('attacker'))).toBe(0);
    expect((await h.sessions.find(fresh.id))!.userId).toBe('victim');
  });

  it('rotates a live session to a new id that keeps its fields and does not outlive it', async () => {
    const old = await h.sessions.create('rotating-user', context);
    await h.sessions.recordConsent(old.id, 'app', ['openid']);
    const oldTtl = await h.redis.pttl(sessionKey(old.id));
    const rotated = await h.sessions.rotate(old.id, { userAgent: 'Chrome', ip: '192.0.2.9' });
    expect(rotated).not.toBeNull();
    expect(await h.redis.exists(sessionKey(old.id))).toBe(0);
    expect(await h.redis.pttl(sessionKey(rotated!.id))).toBeLessThanOrEqual(oldTtl);
    expect(await h.sessions.find(rotated!.id)).toMatchObject({
      userId: 'rotating-user',
      userAgent: 'Chrome',
      consents: { app: ['openid'] },
    });
    expect(await h.redis.zrange(keys.userSessions('rotating-user'), '0', '-1')).toEqual([
      sessionKey(rotated!.id),
    ]);
    expect(await h.sessions.rotate(old.id, context)).toBeNull();
  });
});
