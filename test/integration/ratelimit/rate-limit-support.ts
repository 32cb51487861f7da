/** Helpers of the rate limiter suites: the decision counter, and 429 answers read exactly. */
import { register } from 'prom-client';
import { METRIC } from '../../../src/metrics/metric-names';
import { expectError, type HttpResult } from '../../e2e/support/oauth-fixtures';

/** tollgate_rate_limit_decisions_total{scope, decision} now (process-wide registry). */
export async function decisions(scope: string, decision: string): Promise<number> {
  const metric = register.getSingleMetric(METRIC.rateLimitDecisions);
  if (!metric) throw new Error(`${METRIC.rateLimitDecisions} is not registered`);
  const { values } = await metric.get();
  const found = values.find((v) => v.labels.scope === scope && v.labels.decision === decision);
  return found?.value ?? 0;
}

/** The Retry-After seconds of a 429, checked against its RateLimit field (r=0, same t). */
export function retryAfterOf(res: HttpResult, scope: string): number {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(res.headers.get('ratelimit')).toBe(`"${scope}";r=0;t=${retryAfter}`);
  return retryAfter;
}

/** The `r` (remaining) parameter of an answer's RateLimit field, or undefined without one. */
export function remainingOf(res: { headers: Headers }): number | undefined {
  const field = res.headers.get('ratelimit');
  const match = field ? /;r=(\d+);t=(\d+)$/.exec(field) : null;
  return match ? Number(match[1]) : undefined;
}

/** Small limits, so the suites reach them in a few requests. */
export const ADMIN_TOKEN = 'admin-token-for-rate-limit-tests-0123456789';
export const LIMITS = {
  ADMIN_TOKEN,
  RATE_LIMIT_CLIENT_LIMIT: '3',
  RATE_LIMIT_CLIENT_WINDOW_SECONDS: '60',
  RATE_LIMIT_IP_LIMIT: '2',
  RATE_LIMIT_IP_WINDOW_SECONDS: '60',
  RATE_LIMIT_DEFAULT_LIMIT: '2',
  RATE_LIMIT_DEFAULT_WINDOW_SECONDS: '60',
};
export const CC = { grant_type: 'client_credentials' };
export const LIMITED = /^Rate limit exceeded; retry after \d+ seconds$/;

/** An exact 429 of an OAuth endpoint: RFC 6749 body, Retry-After, RateLimit-Policy, RateLimit. */
export function expectLimited(res: HttpResult, scope: string, quota: string): void {
  const retryAfter = retryAfterOf(res, scope);
  expectError(
    res,
    429,
    'temporarily_unavailable',
    `Rate limit exceeded; retry after ${retryAfter} seconds`,
  );
  expect(res.headers.get('ratelimit-policy')).toBe(`"${scope}";${quota}`);
}
