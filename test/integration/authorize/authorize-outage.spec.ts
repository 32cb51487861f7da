import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { createClient, pkcePair } from '../../e2e/support/oauth-fixtures';
import { Browser } from './browser';
import { authorizeUrl, startFlowApp } from './flow-support';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;

beforeAll(async () => {
  running = await startFlowApp(topology().env());
});
afterAll(() => running?.close());

describe('Redis down', () => {
  it('answers the authorize endpoint and the login page with a 503 page and Retry-After', async () => {
    const client = await createClient(running);
    const browser = new Browser(running.url);
    const start = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    expect(start.status).toBe(303);
    await topology().stopNode(topology().dataNodes[0].port);
    // The client is cached in-process; the interaction write needs Redis.
    const res = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: pkcePair().challenge }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('<code>temporarily_unavailable</code>');
    const login = await browser.get(start.location!);
    expect(login.status).toBe(503);
  });
});
