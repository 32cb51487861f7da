import {
  allowedHeaders,
  limitedHeaders,
  policyField,
  rateLimitField,
} from '../../../src/ratelimit/rate-limit-headers';

const policy = { scope: 'client', limit: 1000, windowMs: 60_000 } as const;

describe('RateLimit headers (draft-ietf-httpapi-ratelimit-headers-10)', () => {
  it('names the policy with its quota and window in seconds', () => {
    expect(policyField(policy)).toBe('"client";q=1000;w=60');
    expect(policyField({ scope: 'ip', limit: 2, windowMs: 1_000 })).toBe('"ip";q=2;w=1');
  });

  it('writes remaining and reset as integer parameters of the policy item', () => {
    expect(rateLimitField('default', 99, 1)).toBe('"default";r=99;t=1');
  });

  it('rounds the time until the full quota is back up to whole seconds on an allowed answer', () => {
    expect(
      allowedHeaders(policy, { allowed: true, remaining: 998, resetMs: 120, retryAfterMs: 0 }),
    ).toEqual({
      'RateLimit-Policy': '"client";q=1000;w=60',
      RateLimit: '"client";r=998;t=1',
    });
  });

  it('gives a 429 a Retry-After of at least one second, and the same wait as t with r=0', () => {
    expect(limitedHeaders(policy, 59)).toEqual({
      'Retry-After': '1',
      'RateLimit-Policy': '"client";q=1000;w=60',
      RateLimit: '"client";r=0;t=1',
    });
    expect(limitedHeaders(policy, 19_001)['Retry-After']).toBe('20');
    expect(limitedHeaders(policy, 20_000)['Retry-After']).toBe('20');
  });
});
