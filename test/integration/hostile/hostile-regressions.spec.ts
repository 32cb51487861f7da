/**
 * Plain, deterministic replays of what the hostile-input property (hostile-input.spec.ts)
 * found, each failing before its fix; and checks of the property's own instruments (the
 * Redis snapshot and the answer checks), so a property that passes cannot be a blind one.
 */
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { startReadyApp } from '../../e2e/support/oauth-fixtures';
import type Redis from 'ioredis';
import { REDIS_AUTH, REDIS_CACHE } from '../../../src/redis/redis.tokens';
import { SNAPSHOT_RULES } from './fuzz-runner';
import { sendRaw } from './raw-request';
import { diff, snapshot } from './redis-snapshot';
import { answerProblems } from './response-checks';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;

beforeAll(async () => {
  running = await startReadyApp({ ...topology().env(), JOBS_ENABLED: 'false' });
});
afterAll(() => running?.close());

const send = (method: string, target: string, contentType: string, body: string) =>
  sendRaw(running.url, {
    method,
    target,
    headers: [['Content-Type', contentType]],
    body: Buffer.from(body),
  });

describe('a request no route takes is answered as such, whatever its body', () => {
  // Fastify parsed the body before its not-found handler ran, so a body it could not parse
  // turned a 405 or 404 into a 400 or 415 about the body of a request nothing would read.
  it('answers a wrong method with an empty Content-Type 405, not 415', async () => {
    const res = await send('PATCH', '/oauth2/introspect', '', 'token=x');
    expect({ status: res.status, allow: res.headers.allow, body: JSON.parse(res.body) }).toEqual({
      status: 405,
      allow: 'POST',
      body: {
        error: 'method_not_allowed',
        error_description: 'PATCH is not allowed here; allowed: POST',
      },
    });
  });

  it('answers a wrong method with malformed JSON 405, not 400', async () => {
    const res = await send('DELETE', '/health', 'application/json', '{"a":');
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body).error).toBe('method_not_allowed');
  });

  it('answers an unknown path with malformed JSON 404, not 400', async () => {
    const res = await send('POST', '/oauth2/nope', 'application/json', '{"a":');
    expect({ status: res.status, body: JSON.parse(res.body) }).toEqual({
      status: 404,
      body: { error: 'not_found', error_description: 'Cannot POST /oauth2/nope' },
    });
  });

  it('still answers malformed JSON on a real route 400 invalid_request', async () => {
    const res = await send('POST', '/api/v1/admin/clients', 'application/json', '{"a":');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toBe('invalid_request');
  });

  // find-my-way matches an empty path parameter (`/cache//key`, `/users/`) and Fastify sends
  // such a request to its not-found handler only after parsing the body, under the route.
  it.each([
    ['DELETE', '/api/v1/cache//new-key', 'multipart/form-data', ''],
    [
      'DELETE',
      '/api/v1/admin/users/',
      'application/json',
      `{"a":${'['.repeat(40)}${']'.repeat(40)}}`,
    ],
    ['DELETE', '/api/v1/admin/users//consents/some-client', 'multipart/form-data', 'x'],
  ])(
    'answers %s %s (an empty path parameter) with a bad body 404',
    async (method, path, type, body) => {
      const res = await send(method, path, type, body);
      expect({ status: res.status, body: JSON.parse(res.body) }).toEqual({
        status: 404,
        body: { error: 'not_found', error_description: `Cannot ${method} ${path}` },
      });
    },
  );

  // The route table behind 405 matched an optional trailing slash the router does not:
  // GET /oauth2/token/ said "allowed: POST", and POST /oauth2/token/ was then a 404.
  it('answers any method on a known path plus a trailing slash 404, not 405', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await send(method, '/oauth2/token/', 'application/x-www-form-urlencoded', '');
      expect({ method, status: res.status, allow: res.headers.allow }).toEqual({
        method,
        status: 404,
        allow: undefined,
      });
    }
  });

  // The router ignores a fragment (GET /login#x is the login page); the 405 check did not.
  it('answers a wrong method on a known path with a fragment 405, like without it', async () => {
    const res = await send('PATCH', '/login#x', 'application/json', '{}');
    expect({ status: res.status, allow: res.headers.allow }).toEqual({
      status: 405,
      allow: 'GET, HEAD, POST',
    });
  });
});

describe('the state snapshot the property compares', () => {
  const take = () =>
    snapshot(
      [
        ['0', running.app.get<Redis>(REDIS_AUTH)],
        ['1', running.app.get<Redis>(REDIS_CACHE)],
      ],
      SNAPSHOT_RULES,
    );

  it('sees created, changed and deleted keys, and an expiry dropped or pushed later', async () => {
    const redis = running.app.get<Redis>(REDIS_AUTH);
    await redis.hset('hostile:probe:hash', 'a', '1');
    await redis.set('hostile:probe:ttl', 'x', 'PX', 60_000);
    await redis.set('hostile:probe:gone', 'x');
    await redis.set('hostile:probe:later', 'x', 'PX', 60_000);
    const before = await take();
    await redis.hset('hostile:probe:hash', 'a', '2');
    await redis.persist('hostile:probe:ttl');
    await redis.del('hostile:probe:gone');
    await redis.pexpire('hostile:probe:later', 120_000);
    await redis.set('hostile:probe:new', '\xff');
    expect(diff(before, await take()).sort()).toEqual([
      'changed 0:hostile:probe:hash',
      'created 0:hostile:probe:new',
      'deleted 0:hostile:probe:gone',
      expect.stringMatching(/^expiry of 0:hostile:probe:later: \d+ ms -> \d+ ms$/),
      expect.stringMatching(/^expiry of 0:hostile:probe:ttl: \d+ ms -> -1 ms$/),
    ]);
  });

  it('ignores rate-limit charges, cache miss counters and a set reordered without change', async () => {
    const redis = running.app.get<Redis>(REDIS_AUTH);
    const members = Array.from({ length: 200 }, (_, i) => `member-${i}`);
    await redis.sadd('hostile:probe:set', ...members);
    const before = await take();
    await redis.set('auth:rate_limit:ip:127.0.0.1', '1');
    await running.app.get<Redis>(REDIS_CACHE).hincrby('cache_stats', 'svc:misses', 1);
    // Shrinking the table and growing it back moves members without changing the set.
    await redis.srem('hostile:probe:set', ...members.slice(0, 190));
    await redis.sadd('hostile:probe:set', ...members.slice(0, 190));
    expect(diff(before, await take())).toEqual([]);
  });
});

describe('the answer checks the property applies', () => {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  });

  it('accepts an RFC 6749 error answer', () => {
    const res = json(400, { error: 'invalid_grant', error_description: 'The code is invalid' });
    expect(answerProblems(res, { oauthJson: true })).toEqual([]);
  });

  it.each([
    ['a 5xx', json(500, { error: 'server_error' })],
    [
      'a stack frame',
      json(400, { error: 'x', error_description: '    at Foo.bar (/app/x.js:1:2)' }),
    ],
    ['a Redis error', json(400, { error: 'x', error_description: 'ERR wrong number of args' })],
    ['a Lua script name', json(400, { error: 'x', error_description: 'redeemCode failed' })],
    ['an error class name', json(400, { error: 'x', error_description: 'TypeError: x' })],
    ['a source path in a header', json(404, { error: 'not_found' }, { 'x-debug': '/src/a.ts:3' })],
    ['a non-RFC error code from an OAuth endpoint', json(400, { error: 'bad_thing' })],
  ])('flags %s', (_what, res) => {
    expect(answerProblems(res, { oauthJson: true })).not.toEqual([]);
  });
});
