import { startReadyApp } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import { eventually, type RunningApp } from '../../support/test-app';
import { cacheCall, tokenFor } from './cache-api-fixtures';
import { freshService } from './cache-harness';

/** DB 0 (auth) and the cache on two separate redis-servers: CACHE_REDIS_URL. */
const auth = useTopology({ mode: 'standalone' });
const cache = useTopology({ mode: 'standalone' });

describe('service cache outage (the cache on its own Redis, which dies)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startReadyApp({ ...auth().env(), CACHE_REDIS_URL: cache().redisUrl() });
  });
  afterAll(() => app?.close());

  it('answers 503 + Retry-After on the cache API while OAuth on DB 0 keeps issuing', async () => {
    const service = freshService('outage');
    const token = await tokenFor(app, 'cache:read cache:write', { cacheServices: [service] });
    expect((await cacheCall(app, token, 'PUT', `${service}/k`, { body: 'v' })).status).toBe(201);

    const [node] = cache().dataNodes;
    await cache().stopNode(node.port, 'SIGKILL');

    for (const [method, path] of [
      ['GET', `${service}/k`],
      ['PUT', `${service}/k`],
      ['DELETE', `${service}/k`],
      ['GET', service],
    ]) {
      const res = await cacheCall(app, token, method, path, {
        body: method === 'PUT' ? 'v2' : undefined,
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await res.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The service cache storage is unavailable; retry later',
      });
    }
    // The auth server is unaffected: a new token is issued, and readiness stays up.
    const fresh = await tokenFor(app, 'cache:read', { cacheServices: [service] });
    expect(fresh).toMatch(/.{20,}/);
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);

    // The cache comes back by itself once its Redis does (it restarts empty: no persistence).
    await cache().restartNode(node.port);
    await eventually(
      async () => (await cacheCall(app, token, 'GET', `${service}/k`)).status === 404,
      15_000,
      'the cache API to answer again',
    );
  });
});
