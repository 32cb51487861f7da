import type { RateLimitCharge, RateLimitDecision } from '../redis/rate-limit';

/**
 * The RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers-10
 * (https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-ratelimit-headers-10, sections
 * "RateLimit-Policy Field" and "RateLimit Field"): structured-field lists (RFC 9651) of items
 * named by the policy, with `q` (quota), `w` (window seconds), `r` (remaining) and `t`
 * (seconds until it resets). The partition key (`pk`) is left out: it would echo client ids.
 */
export type RateLimitPolicyRef = Pick<RateLimitCharge, 'scope' | 'limit' | 'windowMs'>;

const seconds = (ms: number): number => Math.max(Math.ceil(ms / 1000), 0);

/** `"client";q=1000;w=60` */
export function policyField(policy: RateLimitPolicyRef): string {
  return `"${policy.scope}";q=${policy.limit};w=${seconds(policy.windowMs)}`;
}

/** `"client";r=999;t=1` */
export function rateLimitField(scope: string, remaining: number, resetSeconds: number): string {
  return `"${scope}";r=${remaining};t=${resetSeconds}`;
}

/**
 * Headers of an allowed answer: what is left and when the full quota is back (GCRA restores
 * the quota continuously; `t` is when all of it is back).
 */
export function allowedHeaders(
  policy: RateLimitPolicyRef,
  decision: RateLimitDecision,
): Record<string, string> {
  return {
    'RateLimit-Policy': policyField(policy),
    RateLimit: rateLimitField(policy.scope, decision.remaining, seconds(decision.resetMs)),
  };
}

/**
 * Headers of a 429 (RFC 6585 section 4): Retry-After (RFC 9110 section 10.2.3, whole seconds,
 * at least 1) and `t` = the same wait, when the next request is allowed.
 */
export function limitedHeaders(
  policy: RateLimitPolicyRef,
  retryAfterMs: number,
): Record<string, string> {
  const retryAfter = Math.max(seconds(retryAfterMs), 1);
  return {
    'Retry-After': String(retryAfter),
    'RateLimit-Policy': policyField(policy),
    RateLimit: rateLimitField(policy.scope, 0, retryAfter),
  };
}
