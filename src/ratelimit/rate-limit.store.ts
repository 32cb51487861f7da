import type { RateLimitCharge, RateLimitDecision } from '../redis/rate-limit';

/**
 * Storage of rate limit state (one GCRA key per limited subject, docs/rate-limiting.md).
 * `charge` is one atomic round trip: it counts the request if it is allowed and writes
 * nothing if it is refused (a refused caller hammering on does not push its own limit
 * further away). A Redis outage throws RedisUnavailableException.
 */
export abstract class RateLimitStore {
  abstract charge(charge: RateLimitCharge): Promise<RateLimitDecision>;
}
