import { loadConfig } from '../../../src/config/load-config';
import { problemsOf } from './config-problems';

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({
      host: '0.0.0.0',
      port: 3000,
      trustProxy: false,
      requestTimeoutMs: 10000,
      headersTimeoutMs: 5000,
      keepAliveTimeoutMs: 72000,
      connectionTimeoutMs: 30000,
      maxConnections: 10000,
    });
    expect(config.management).toEqual({ port: undefined, host: '0.0.0.0' });
    expect(config.redis).toMatchObject({
      mode: 'standalone',
      url: 'redis://127.0.0.1:6379',
      authDb: 0,
      cacheDb: 1,
      retryBaseMs: 1000,
      retryMaxMs: 15000,
      startupMaxAttempts: 20,
      writeReplicas: 0,
      autoPipelining: true,
    });
    expect(config.oauth).toMatchObject({
      issuer: 'http://localhost:3000',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 604800,
      authCodeTtlSeconds: 600,
      passwordGrantEnabled: false,
      refreshTokenAbsoluteTtlSeconds: 2592000,
      refreshTokenReuseGraceSeconds: 0,
      clientCacheTtlMs: 5000,
    });
  });

  it('parses TRUST_PROXY as off, a hop count or a list of addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(problemsOf({ TRUST_PROXY: 'true' })[0]).toMatch(
      /^TRUST_PROXY: must be false, a hop count/,
    );
  });

  it('refuses an absolute refresh lifetime shorter than one refresh token', () => {
    expect(
      problemsOf({ REFRESH_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: '60' }),
    ).toEqual(['REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: must be >= REFRESH_TOKEN_TTL_SECONDS']);
  });

  it('parses a sentinel list and typed numbers and booleans', () => {
    const config = loadConfig({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: 's1:26379, s2:26380',
      REDIS_MASTER_NAME: 'auth-master',
      PORT: '8080',
      PASSWORD_GRANT_ENABLED: 'true',
      REDIS_AUTO_PIPELINING: 'false',
      ISSUER: 'https://auth.example.com/',
    });
    expect(config.redis.sentinels).toEqual([
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
    ]);
    expect(config.redis.masterName).toBe('auth-master');
    expect(config.http.port).toBe(8080);
    expect(config.oauth.passwordGrantEnabled).toBe(true);
    expect(config.redis.autoPipelining).toBe(false);
    expect(config.oauth.issuer).toBe('https://auth.example.com');
  });

  it('lists every offending variable in one error', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      REDIS_MODE: 'cluster',
      LOG_LEVEL: 'loud',
      REDIS_TLS: 'maybe',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'LOG_LEVEL',
      'PORT',
      'REDIS_MODE',
      'REDIS_TLS',
    ]);
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('(got "eighty")');
  });

  it('requires an https ISSUER in production', () => {
    const rule = 'ISSUER: must be set to an https URL when NODE_ENV=production';
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([rule]);
    expect(problemsOf({ NODE_ENV: 'production', ISSUER: 'http://auth.example.com' })).toEqual([
      rule,
    ]);
    const config = loadConfig({ NODE_ENV: 'production', ISSUER: 'https://auth.example.com/' });
    expect(config.oauth.issuer).toBe('https://auth.example.com');
    expect(loadConfig({ NODE_ENV: 'development' }).oauth.issuer).toBe('http://localhost:3000');
  });

  it('requires REDIS_SENTINELS in sentinel mode', () => {
    const problems = problemsOf({ REDIS_MODE: 'sentinel' });
    expect(problems).toEqual([expect.stringMatching(/^REDIS_SENTINELS: .*host:port/)]);
  });

  it('rejects a malformed sentinel list and a non-redis URL', () => {
    expect(problemsOf({ REDIS_MODE: 'sentinel', REDIS_SENTINELS: 's1,s2' })[0]).toMatch(
      /^REDIS_SENTINELS/,
    );
    expect(problemsOf({ REDIS_URL: 'http://localhost:6379' })[0]).toMatch(
      /^REDIS_URL: .*redis:\/\//,
    );
  });

  it('never echoes the value of a credential variable', () => {
    const problems = problemsOf({ ADMIN_TOKEN: 'short-secret-value' });
    expect(problems[0]).toMatch(/^ADMIN_TOKEN/);
    expect(problems.join('\n')).not.toContain('short-secret-value');
  });

  it('rejects the same DB for auth data and cache', () => {
    expect(problemsOf({ REDIS_AUTH_DB: '2', REDIS_CACHE_DB: '2' })[0]).toMatch(/^REDIS_CACHE_DB/);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.redis)).toBe(true);
  });
});
