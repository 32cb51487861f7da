/**
 * Rate limits on the sign-in path, against a real Redis: the login limit per username + IP
 * (password guessing) is charged before the password is checked, and the per-client limit
 * folded into redeemCode-8 refuses a redemption without spending the code.
 */
import type Redis from 'ioredis';
import { keys } from '../../../src/redis/keys';
import { REDIS_AUTH } from '../../../src/redis/redis.tokens';
import { createClient, pkcePair, post } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { Browser, paramsOf } from './browser';
import {
  authorizeUrl,
  consent,
  createUser,
  login,
  PASSWORD,
  redeem,
  startFlowApp,
} from './flow-support';

const topology = useTopology({ mode: 'standalone' });

describe('rate limits on sign-in and code redemption', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startFlowApp({
      ...topology().env(),
      RATE_LIMIT_LOGIN_LIMIT: '3',
      RATE_LIMIT_LOGIN_WINDOW_SECONDS: '300',
      RATE_LIMIT_CLIENT_LIMIT: '2',
      RATE_LIMIT_CLIENT_WINDOW_SECONDS: '300',
    });
  });
  afterAll(() => running?.close());

  it('refuses the 4th login attempt for one username and IP with a 429 page, even with the right password', async () => {
    const user = await createUser(running);
    const other = await createUser(running);
    const client = await createClient(running);
    const browser = new Browser(running.url);
    const start = await browser.get(
      authorizeUrl({ clientId: client.id, challenge: 'x'.repeat(43) }),
    );
    for (let i = 0; i < 3; i++) {
      expect((await login(browser, start.location!, user.username, 'wrong password!')).status).toBe(
        401,
      );
    }
    const limited = await login(browser, start.location!, user.username, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    expect(limited.text).toContain('temporarily_unavailable');
    expect(limited.setCookies.filter((c) => /session/.test(c))).toEqual([]);
    // Another username from the same IP has its own budget.
    const fine = await login(browser, start.location!, other.username, PASSWORD);
    expect(fine.status).toBe(303);
  });

  it('refuses a redemption over the client limit without spending the code', async () => {
    const user = await createUser(running);
    const client = await createClient(running, {
      grantTypes: ['authorization_code', 'client_credentials'],
    });
    const browser = new Browser(running.url);
    const { verifier, challenge } = pkcePair();
    const start = await browser.get(authorizeUrl({ clientId: client.id, challenge }));
    const afterLogin = await login(browser, start.location!, user.username);
    const done = await consent(browser, afterLogin.location!, 'allow');
    const { code } = paramsOf(done.location);

    // Spend the client's budget of 2 on client_credentials.
    const cc = { grant_type: 'client_credentials' };
    for (let i = 0; i < 2; i++) {
      expect(
        (await post(running, '/oauth2/token', cc, { basic: [client.id, client.secret] })).status,
      ).toBe(200);
    }
    const refused = await redeem(running, client, code, verifier);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: 'temporarily_unavailable' });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

    // Not spent: once the budget is back the same code redeems (one per 150 s at 2/300 s).
    await running.app.get<Redis>(REDIS_AUTH).del(keys.rateLimit('client', client.id));
    const redeemed = await redeem(running, client, code, verifier);
    expect(redeemed.status).toBe(200);
  });
});
