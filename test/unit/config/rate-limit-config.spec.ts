import { loadConfig } from '../../../src/config/load-config';
import { problemsOf } from './config-problems';

describe('rate limit settings', () => {
  it("default to the design's limits: 1000/min per client, 50/min per IP, 100/min elsewhere, 5 logins per 5 min", () => {
    expect(loadConfig({}).rateLimit).toEqual({
      enabled: true,
      policies: {
        client: { limit: 1000, windowSeconds: 60 },
        ip: { limit: 50, windowSeconds: 60 },
        default: { limit: 100, windowSeconds: 60 },
        login: { limit: 5, windowSeconds: 300 },
      },
      failOpenOAuth: true,
      failOpenLogin: false,
    });
  });

  it('read each limit, window and switch from its variable', () => {
    const config = loadConfig({
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_CLIENT_LIMIT: '2',
      RATE_LIMIT_CLIENT_WINDOW_SECONDS: '1',
      RATE_LIMIT_LOGIN_LIMIT: '10',
      RATE_LIMIT_FAIL_OPEN_OAUTH: 'false',
      RATE_LIMIT_FAIL_OPEN_LOGIN: 'true',
    }).rateLimit;
    expect(config.enabled).toBe(false);
    expect(config.policies.client).toEqual({ limit: 2, windowSeconds: 1 });
    expect(config.policies.login.limit).toBe(10);
    expect([config.failOpenOAuth, config.failOpenLogin]).toEqual([false, true]);
  });

  it('reject limits and windows that are not positive integers, naming the variable', () => {
    expect(problemsOf({ RATE_LIMIT_IP_LIMIT: '0' })).toEqual([
      'RATE_LIMIT_IP_LIMIT: must be a positive integer (requests per window) (got "0")',
    ]);
    expect(problemsOf({ RATE_LIMIT_DEFAULT_WINDOW_SECONDS: '1.5' })[0]).toMatch(
      /^RATE_LIMIT_DEFAULT_WINDOW_SECONDS: must be an integer from 1 to 86400/,
    );
    expect(problemsOf({ RATE_LIMIT_FAIL_OPEN_LOGIN: 'maybe' })[0]).toMatch(
      /^RATE_LIMIT_FAIL_OPEN_LOGIN: must be true or false/,
    );
  });
});
