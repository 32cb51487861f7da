/**
 * `cache_services` through PATCH /api/v1/admin/clients/{id}, over HTTP against real Redis:
 * set, change and clear the namespaces (PATCH rules of docs/admin.md: a list is emptied with
 * `[]`, `null` is a 400 naming the field), bad values answered 400 listing every problem,
 * and the client's live token following each change at the cache API.
 */
import { basicHeader } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const BASE = '/api/v1/admin/clients';
/** The pub/sub eviction of cached client records reaches every instance within about 1 s. */
const PROPAGATION_MS = 5_000;

describe('admin API: cache_services on PATCH /api/v1/admin/clients/{id}', () => {
  let running: RunningApp;
  let token: string;
  const path = `${BASE}/cache-svc`;

  function admin(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${running.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** GET /api/v1/cache/{service} (stats) with the client's token: 200 or 403. */
  async function cacheStatus(service: string): Promise<number> {
    const res = await fetch(`${running.url}/api/v1/cache/${service}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return res.status;
  }

  async function stored(): Promise<Record<string, unknown>> {
    return (await (await admin('GET', path)).json()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN });
    const created = await admin('POST', BASE, {
      client_id: 'cache-svc',
      name: 'Orders service',
      type: 'confidential',
      grant_types: ['client_credentials'],
      scopes: ['cache:read', 'cache:write'],
    });
    expect(created.status).toBe(201);
    const { client_secret: secret } = (await created.json()) as { client_secret: string };
    const issued = await fetch(`${running.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: basicHeader('cache-svc', secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=cache%3Aread',
    });
    expect(issued.status).toBe(200);
    token = ((await issued.json()) as { access_token: string }).access_token;
  });
  afterAll(() => running?.close());

  it('starts with no namespace: cache_services is [] and the cache answers 403', async () => {
    expect((await stored()).cache_services).toEqual([]);
    expect(await cacheStatus('orders')).toBe(403);
  });

  it('sets cache_services, and the client token may use those namespaces', async () => {
    const res = await admin('PATCH', path, { cache_services: ['orders', 'billing'] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { cache_services: unknown }).cache_services).toEqual([
      'orders',
      'billing',
    ]);
    expect((await stored()).cache_services).toEqual(['orders', 'billing']);
    await eventually(async () => (await cacheStatus('orders')) === 200, PROPAGATION_MS, 'orders');
    expect(await cacheStatus('billing')).toBe(200);
    expect(await cacheStatus('inventory')).toBe(403);
  });

  it('changes cache_services and leaves every other field as it was', async () => {
    const before = await stored();
    const res = await admin('PATCH', path, { cache_services: ['billing', 'inventory'] });
    expect(res.status).toBe(200);
    const after = await stored();
    expect(after).toEqual({
      ...before,
      cache_services: ['billing', 'inventory'],
      updated_at: after.updated_at,
    });
    await eventually(async () => (await cacheStatus('orders')) === 403, PROPAGATION_MS, 'orders');
    expect(await cacheStatus('inventory')).toBe(200);
  });

  it('answers 400 naming cache_services for null, and changes nothing (a list is emptied with [])', async () => {
    const before = await stored();
    const res = await admin('PATCH', path, { cache_services: null });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'cache_services must not be null: expected a list of strings (may be [])',
    });
    expect(await stored()).toEqual(before);
  });

  it.each([
    ['a string', 'orders'],
    ['a list holding a number', ['orders', 7]],
    ['an object', { orders: true }],
  ])('answers 400 when cache_services is %s, and changes nothing', async (_what, value) => {
    const before = await stored();
    const res = await admin('PATCH', path, { cache_services: value });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'cache_services must be a list of strings',
    });
    expect(await stored()).toEqual(before);
  });

  it('answers 400 listing every bad entry at once, with the other bad fields, and changes nothing', async () => {
    const before = await stored();
    const long = 'x'.repeat(65);
    const res = await admin('PATCH', path, {
      cache_services: ['Orders', 'a:b', 'ok', 'ok', '-x', long, ''],
      name: '',
    });
    expect(res.status).toBe(400);
    const { error, error_description: description } = (await res.json()) as Record<string, string>;
    expect(error).toBe('invalid_request');
    const rule = 'must be 1-64 characters of a-z 0-9 _ - starting with a lowercase letter or digit';
    expect(description.split('; ').sort()).toEqual(
      [
        'name must be a non-empty string of at most 200 characters',
        `cache_services entry "Orders" ${rule}`,
        `cache_services entry "a:b" ${rule}`,
        'cache_services entry "ok" is listed twice',
        `cache_services entry "-x" ${rule}`,
        `cache_services entry "${long}" ${rule}`,
        `cache_services entry "" ${rule}`,
      ].sort(),
    );
    expect(await stored()).toEqual(before);
  });

  it('answers 400 for more than 100 namespaces', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `svc-${i}`);
    const res = await admin('PATCH', path, { cache_services: many });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Record<string, string>).error_description).toBe(
      'at most 100 cache_services',
    );
    expect((await stored()).cache_services).toEqual(['billing', 'inventory']);
  });

  it('clears cache_services with [], and the client token loses every namespace', async () => {
    const res = await admin('PATCH', path, { cache_services: [] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { cache_services: unknown }).cache_services).toEqual([]);
    expect((await stored()).cache_services).toEqual([]);
    await eventually(async () => (await cacheStatus('billing')) === 403, PROPAGATION_MS, 'billing');
    expect(await cacheStatus('inventory')).toBe(403);
  });
});
