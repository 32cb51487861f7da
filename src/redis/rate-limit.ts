import { keys } from './keys';

/**
 * The contract of the GCRA rate limit in Lua (scripts/includes/rateLimit.lua), shared by the
 * stores whose scripts charge it: the ratelimit module's own chargeRateLimit call and the
 * token scripts that fold the per-client limit into their one round trip (issueTokens,
 * rotateRefreshToken, revokeToken). It lives here, beside the scripts, so tokens and
 * ratelimit both depend on redis and never on each other (docs/rate-limiting.md).
 */

/** The scopes a limit is kept per (the middle part of keys.rateLimit). */
export type RateLimitScope = 'client' | 'ip' | 'default' | 'login';

/** One request to charge against one limit: whose limit, and the policy it is kept under. */
export interface RateLimitCharge {
  readonly scope: RateLimitScope;
  /** A client id, an IP address, or a username digest and IP: keys.rateLimit(scope, subject). */
  readonly subject: string;
  /** Requests per window (the burst is the same number); 0 = unlimited, nothing written. */
  readonly limit: number;
  readonly windowMs: number;
}

/** What one charge decided (the four numbers chargeRateLimit returns). */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Requests still allowed right now. */
  readonly remaining: number;
  /** Milliseconds until the full quota is back. */
  readonly resetMs: number;
  /** Milliseconds until one more request is allowed (0 when allowed). */
  readonly retryAfterMs: number;
}

/** The first element of a token script's reply when its request was refused. */
export const RATE_LIMITED_CODE = -7;

/**
 * A request over its limit: nothing was done. Carries the policy, so the answer can name it
 * in RateLimit-Policy, and the wait in Retry-After (429, RFC 6585 section 4).
 */
export class RateLimitedError extends Error {
  constructor(
    readonly charge: RateLimitCharge,
    readonly retryAfterMs: number,
  ) {
    super(`rate limit ${charge.scope} exceeded; retry after ${retryAfterMs} ms`);
    this.name = 'RateLimitedError';
  }
}

/**
 * KEYS + ARGV of a charge: the key, the limit and the window. Without a charge a token script
 * still gets a key (`clientId`'s, never touched: limit 0), as its key count is fixed.
 */
export function chargeArgs(
  charge: RateLimitCharge | undefined,
  clientId = '',
): [key: string, limit: number, windowMs: number] {
  return charge
    ? [keys.rateLimit(charge.scope, charge.subject), charge.limit, charge.windowMs]
    : [keys.rateLimit('client', clientId), 0, 0];
}

/** Throws RateLimitedError when a token script answered { -7, retry after ms }. */
export function throwIfRateLimited(reply: unknown, charge: RateLimitCharge | undefined): void {
  if (Array.isArray(reply) && reply[0] === RATE_LIMITED_CODE && charge) {
    throw new RateLimitedError(charge, Number(reply[1]));
  }
}

/** chargeRateLimit's reply, typed. */
export function toDecision(reply: readonly number[]): RateLimitDecision {
  const [allowed, remaining, resetMs, retryAfterMs] = reply.map(Number);
  return { allowed: allowed === 1, remaining, resetMs, retryAfterMs };
}
