import { loadConfig } from '../../../src/config/load-config';
import { problemsOf } from './config-problems';

describe('service cache settings', () => {
  it('defaults to 24 h entries, 1 MiB values, 10000 entries per service, DB 1 of the auth server', () => {
    const config = loadConfig({});
    expect(config.cache).toEqual({
      defaultTtlSeconds: 86400,
      maxTtlSeconds: 604800,
      maxValueBytes: 1048576,
      maxEntriesPerService: 10000,
    });
    expect(config.redis.cacheDb).toBe(1);
    expect(config.redis.cacheServer).toBeUndefined();
    expect(config.oauth.scopes).toEqual(expect.arrayContaining(['cache:read', 'cache:write']));
  });

  it('puts the cache on its own Redis or Sentinel master when asked', () => {
    expect(loadConfig({ CACHE_REDIS_URL: 'redis://cache:6379' }).redis.cacheServer).toEqual({
      mode: 'standalone',
      url: 'redis://cache:6379',
      sentinels: [],
      masterName: '',
    });
    const sentinel = loadConfig({ CACHE_REDIS_SENTINELS: 's1:26379,s2:26380' }).redis;
    expect(sentinel.cacheServer).toMatchObject({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      masterName: 'tollgate',
    });
    // a separate server may use the same DB number as the auth data
    expect(() =>
      loadConfig({ CACHE_REDIS_URL: 'redis://c:6379', REDIS_CACHE_DB: '0' }),
    ).not.toThrow();
  });

  it('refuses settings that contradict each other', () => {
    expect(
      problemsOf({ CACHE_REDIS_URL: 'redis://c:6379', CACHE_REDIS_SENTINELS: 's:26379' })[0],
    ).toMatch(/^CACHE_REDIS_URL: set either/);
    expect(problemsOf({ CACHE_REDIS_MASTER_NAME: 'cache' })[0]).toMatch(
      /needs CACHE_REDIS_SENTINELS/,
    );
    expect(problemsOf({ CACHE_DEFAULT_TTL_SECONDS: '700000' })[0]).toMatch(
      /^CACHE_DEFAULT_TTL_SECONDS: must be <= CACHE_MAX_TTL_SECONDS/,
    );
    expect(problemsOf({ CACHE_MAX_VALUE_BYTES: '0' })[0]).toMatch(/^CACHE_MAX_VALUE_BYTES/);
    expect(problemsOf({ CACHE_REDIS_URL: 'http://x' })[0]).toMatch(
      /^CACHE_REDIS_URL: must be a redis/,
    );
  });
});
