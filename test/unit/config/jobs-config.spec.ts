import { loadConfig } from '../../../src/config/load-config';
import { problemsOf } from './config-problems';

describe('jobs settings', () => {
  it('default to token cleanup every 5 min (batch 500), sessions and cache every 10 min', () => {
    expect(loadConfig({}).jobs).toEqual({
      enabled: true,
      tokenCleanup: { everyMs: 300_000, batch: 500 },
      sessionIndexCleanup: { everyMs: 600_000, batch: 500 },
      cacheCleanup: { everyMs: 600_000, batch: 200 },
      watchdogIntervalMs: 30_000,
      watchdogSlackMs: 60_000,
    });
  });

  it('read JOBS_* overrides', () => {
    const jobs = loadConfig({
      JOBS_ENABLED: 'false',
      JOBS_TOKEN_CLEANUP_EVERY_MS: '1000',
      JOBS_SESSION_CLEANUP_BATCH: '3',
    }).jobs;
    expect(jobs.enabled).toBe(false);
    expect(jobs.tokenCleanup.everyMs).toBe(1000);
    expect(jobs.sessionIndexCleanup.batch).toBe(3);
  });

  it('reject intervals under a second and batches outside 1-1000', () => {
    expect(problemsOf({ JOBS_TOKEN_CLEANUP_EVERY_MS: '999' })[0]).toMatch(
      /^JOBS_TOKEN_CLEANUP_EVERY_MS: /,
    );
    expect(problemsOf({ JOBS_CACHE_CLEANUP_BATCH: '1001' })[0]).toMatch(
      /^JOBS_CACHE_CLEANUP_BATCH: /,
    );
    expect(problemsOf({ JOBS_SESSION_CLEANUP_BATCH: '0' })[0]).toMatch(
      /^JOBS_SESSION_CLEANUP_BATCH: /,
    );
    expect(problemsOf({ JOBS_ENABLED: 'maybe' })[0]).toMatch(
      /^JOBS_ENABLED: must be true or false/,
    );
  });
});
