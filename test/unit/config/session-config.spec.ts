import { loadConfig } from '../../../src/config/load-config';
import { problemsOf } from './config-problems';

describe('session settings', () => {
  it('default to a one-hour session in a Secure, __Host- prefixed cookie', () => {
    expect(loadConfig({}).sessions).toEqual({
      ttlSeconds: 3600,
      cookie: { name: '__Host-tollgate_session', secure: true },
    });
  });

  it('drop the __Host- prefix when Secure is turned off for local http', () => {
    const config = loadConfig({ SESSION_COOKIE_SECURE: 'false', SESSION_TTL_SECONDS: '60' });
    expect(config.sessions).toEqual({
      ttlSeconds: 60,
      cookie: { name: 'tollgate_session', secure: false },
    });
  });

  it('use an explicit cookie name as given', () => {
    expect(loadConfig({ SESSION_COOKIE_NAME: 'sid' }).sessions.cookie.name).toBe('sid');
  });

  it('reject a TTL that is not a positive integer', () => {
    expect(problemsOf({ SESSION_TTL_SECONDS: '0' })[0]).toMatch(/^SESSION_TTL_SECONDS: /);
    expect(problemsOf({ SESSION_TTL_SECONDS: '1.5' })[0]).toMatch(/^SESSION_TTL_SECONDS: /);
  });

  it('reject a cookie name that is not an RFC 6265 token', () => {
    expect(problemsOf({ SESSION_COOKIE_NAME: 'a b;c' })[0]).toMatch(/^SESSION_COOKIE_NAME: /);
  });

  it('reject a __Host- name without Secure, which browsers would silently drop', () => {
    expect(
      problemsOf({ SESSION_COOKIE_SECURE: 'false', SESSION_COOKIE_NAME: '__Host-sid' }),
    ).toEqual([
      'SESSION_COOKIE_NAME: a __Host- or __Secure- name needs SESSION_COOKIE_SECURE=true',
    ]);
  });

  it('reject a cookie without Secure in production', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        ISSUER: 'https://auth.example.com',
        SESSION_COOKIE_SECURE: 'false',
      }),
    ).toEqual(['SESSION_COOKIE_SECURE: must be true when NODE_ENV=production']);
  });
});
