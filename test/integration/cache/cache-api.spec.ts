import { randomBytes } from 'node:crypto';
import { keys } from '../../../src/redis/keys';
import { REDIS_CACHE } from '../../../src/redis/redis.tokens';
import type Redis from 'ioredis';
import { startReadyApp } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { cacheCall, tokenFor } from './cache-api-fixtures';
import { freshService } from './cache-harness';

const topology = useTopology({ mode: 'standalone' });
const LIMITS = {
  CACHE_MAX_VALUE_BYTES: '1024',
  CACHE_MAX_TTL_SECONDS: '3600',
  CACHE_DEFAULT_TTL_SECONDS: '600',
  CACHE_MAX_ENTRIES_PER_SERVICE: '3',
};

describe('service cache API /api/v1/cache (real Redis)', () => {
  let app: RunningApp;
  let redis: Redis;
  let svc: string;
  let other: string;
  let rw: string;

  beforeAll(async () => {
    app = await startReadyApp({ ...topology().env(), ...LIMITS });
    redis = app.app.get<Redis>(REDIS_CACHE);
    [svc, other] = [freshService('orders'), freshService('billing')];
    rw = await tokenFor(app, 'cache:read cache:write', { cacheServices: [svc] });
  });
  afterAll(() => app?.close());

  it('stores a value with its content type and returns it as is, with a strong ETag', async () => {
    const body = Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x0a]);
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    const put = await cacheCall(app, rw, 'PUT', `${svc}/doc-1`, { body, headers });
    expect(put.status).toBe(201);
    const etag = put.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(await put.json()).toEqual({ service: svc, key: 'doc-1', etag, ttl_seconds: 600 });
    const get = await cacheCall(app, rw, 'GET', `${svc}/doc-1`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(get.headers.get('etag')).toBe(etag);
    expect(Buffer.from(await get.arrayBuffer())).toEqual(body);
    const again = await cacheCall(app, rw, 'PUT', `${svc}/doc-1`, { body: 'v2' });
    expect(again.status).toBe(204);
    expect(again.headers.get('etag')).not.toBe(etag);
    const v2 = await cacheCall(app, rw, 'GET', `${svc}/doc-1`);
    expect(v2.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(await v2.text()).toBe('v2');
  });

  it('answers 304 without a body for If-None-Match with the current etag', async () => {
    const put = await cacheCall(app, rw, 'PUT', `${svc}/etag`, { body: 'hello' });
    const etag = put.headers.get('etag') ?? '';
    const same = await cacheCall(app, rw, 'GET', `${svc}/etag`, {
      headers: { 'if-none-match': `"nope", W/${etag}` },
    });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(etag);
    expect(await same.text()).toBe('');
    const changed = await cacheCall(app, rw, 'GET', `${svc}/etag`, {
      headers: { 'if-none-match': '"stale"' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toBe('hello');
  });

  it('applies the TTL of Cache-TTL or ?ttl=, and refuses one beyond the maximum', async () => {
    await cacheCall(app, rw, 'PUT', `${svc}/ttl-h`, { body: 'x', headers: { 'cache-ttl': '120' } });
    await cacheCall(app, rw, 'PUT', `${svc}/ttl-q?ttl=3600`, { body: 'x' });
    await cacheCall(app, rw, 'PUT', `${svc}/ttl-d`, { body: 'x' });
    const ttl = (key: string) => redis.ttl(keys.cacheResource(svc, key));
    expect(await ttl('ttl-h')).toBeGreaterThan(110);
    expect(await ttl('ttl-h')).toBeLessThanOrEqual(120);
    expect(await ttl('ttl-q')).toBeGreaterThan(3590);
    expect(await ttl('ttl-d')).toBeGreaterThan(590);
    expect(await ttl('ttl-d')).toBeLessThanOrEqual(600);
    for (const bad of ['?ttl=3601', '?ttl=0', '?ttl=1.5', '?ttl=abc', '?ttl=1&ttl=2']) {
      const res = await cacheCall(app, rw, 'PUT', `${svc}/ttl-bad${bad}`, { body: 'x' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    }
    expect(await redis.exists(keys.cacheResource(svc, 'ttl-bad'))).toBe(0);
  });

  it('refuses a value over the size limit with 413, also a chunked one, storing nothing', async () => {
    const ok = await cacheCall(app, rw, 'PUT', `${svc}/big`, { body: Buffer.alloc(1024, 1) });
    expect(ok.status).toBe(201);
    const big = await cacheCall(app, rw, 'PUT', `${svc}/big2`, { body: Buffer.alloc(1025, 1) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: expect.any(String) });
    const chunks = (async function* () {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(1024, 2);
    })();
    const chunked = await fetch(`${app.url}/api/v1/cache/${svc}/big3`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${rw}` },
      body: chunks as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(
      await redis.exists(keys.cacheResource(svc, 'big2'), keys.cacheResource(svc, 'big3')),
    ).toBe(0);
  });

  it('refuses malformed keys and service names with 400', async () => {
    const longest = `${'k'.repeat(504)}${randomBytes(4).toString('hex')}`;
    const ok = await cacheCall(app, rw, 'PUT', `${svc}/${longest}`, { body: 'x' });
    expect(ok.status).toBe(201);
    // one character more: refused by the router already (414 URI Too Long, still no 500)
    const tooLong = await cacheCall(app, rw, 'PUT', `${svc}/${longest}k`, { body: 'x' });
    expect(tooLong.status).toBe(414);
    for (const path of [`${svc}/a%20b`, `${svc}/a%2Fb`, `${svc}/a%00`]) {
      const res = await cacheCall(app, rw, 'PUT', path, { body: 'x' });
      expect(res.status).toBe(400);
    }
    const res = await cacheCall(app, rw, 'GET', 'Bad:Service/k');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('keeps a client to its cache_services: 403 with a JSON error for another namespace', async () => {
    const theirs = await tokenFor(app, 'cache:read cache:write', { cacheServices: [other] });
    await cacheCall(app, theirs, 'PUT', `${other}/k`, { body: 'theirs' });
    for (const [method, path] of [
      ['GET', `${other}/k`],
      ['PUT', `${other}/k`],
      ['DELETE', `${other}/k`],
      ['GET', other],
    ]) {
      const res = await cacheCall(app, rw, method, path, {
        body: method === 'PUT' ? 'x' : undefined,
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: 'access_denied',
        error_description: expect.stringContaining(other),
      });
    }
    const read = await cacheCall(app, theirs, 'GET', `${other}/k`);
    expect(await read.text()).toBe('theirs');
  });

  it('asks for a bearer token (401 + WWW-Authenticate) and the right scope (403)', async () => {
    const none = await cacheCall(app, null, 'GET', `${svc}/k`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="tollgate"');
    const bogus = await cacheCall(app, 'not-a-real-token', 'GET', `${svc}/k`);
    expect(bogus.status).toBe(401);
    expect(bogus.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const readOnly = await tokenFor(app, 'cache:read', { cacheServices: [svc] });
    const put = await cacheCall(app, readOnly, 'PUT', `${svc}/k`, { body: 'x' });
    expect(put.status).toBe(403);
    expect(put.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    await cacheCall(app, rw, 'PUT', `${svc}/ro`, { body: 'x' });
    expect((await cacheCall(app, readOnly, 'GET', `${svc}/ro`)).status).toBe(200);
  });

  it('grants cache scopes only to clients whose record allows them', async () => {
    const { ClientsService } = await import('../../../src/clients/clients.service');
    const { client, clientSecret } = await app.app.get(ClientsService).create({
      id: `no-cache-${randomBytes(3).toString('hex')}`,
      name: 'no cache',
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['openid'],
      cacheServices: [svc],
    });
    const res = await fetch(`${app.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'cache:read',
        client_id: client.id,
        client_secret: clientSecret ?? '',
      }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: expect.stringMatching(/invalid_scope|invalid_client/),
    });
  });

  it('evicts the least recently used entry of the service at the limit, others untouched', async () => {
    const lru = freshService('lru');
    const token = await tokenFor(app, 'cache:read cache:write', { cacheServices: [lru, other] });
    await cacheCall(app, token, 'PUT', `${other}/keep`, { body: 'x' });
    for (const key of ['a', 'b', 'c'])
      await cacheCall(app, token, 'PUT', `${lru}/${key}`, { body: key });
    await cacheCall(app, token, 'GET', `${lru}/a`);
    await cacheCall(app, token, 'PUT', `${lru}/d`, { body: 'd' });
    const status = async (key: string) =>
      (await cacheCall(app, token, 'GET', `${lru}/${key}`)).status;
    expect(await status('b')).toBe(404);
    expect([await status('a'), await status('c'), await status('d')]).toEqual([200, 200, 200]);
    expect((await cacheCall(app, token, 'GET', `${other}/keep`)).status).toBe(200);
  });

  it('deletes with 204, then 404; stats give entries, hits, misses and the hit ratio', async () => {
    const stats = freshService('stats');
    const token = await tokenFor(app, 'cache:read cache:write', { cacheServices: [stats] });
    await cacheCall(app, token, 'PUT', `${stats}/a`, { body: 'a' });
    await cacheCall(app, token, 'PUT', `${stats}/b`, { body: 'b' });
    for (const key of ['a', 'a', 'a', 'missing'])
      await cacheCall(app, token, 'GET', `${stats}/${key}`);
    expect((await cacheCall(app, token, 'DELETE', `${stats}/b`)).status).toBe(204);
    expect((await cacheCall(app, token, 'DELETE', `${stats}/b`)).status).toBe(404);
    const res = await cacheCall(app, token, 'GET', stats);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      service: stats,
      entries: 1,
      hits: 3,
      misses: 1,
      hit_ratio: 0.75,
    });
  });
});
