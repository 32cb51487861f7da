import { SetMetadata } from '@nestjs/common';

/** Metadata key read by RateLimitGuard. */
export const RATE_LIMIT_ROUTE = 'tollgate:rate-limit';

/** What the guard does on a route: charge a per-IP scope, or nothing (`skip`). */
export type RouteRateLimit = 'ip' | 'default' | 'skip';

/**
 * Charges this route (or controller) against the per-IP limit of traffic that is not (yet) an
 * authenticated client (RATE_LIMIT_IP_*): the authorize and login routes. Without any
 * decorator a route gets the `default` scope.
 */
export const RateLimitPerIp = (): ClassDecorator & MethodDecorator =>
  SetMetadata<string, RouteRateLimit>(RATE_LIMIT_ROUTE, 'ip');

/**
 * No guard charge: health probes and /metrics (never limited), and the OAuth endpoints,
 * which charge their own limits after client authentication (docs/rate-limiting.md).
 */
export const SkipRateLimit = (): ClassDecorator & MethodDecorator =>
  SetMetadata<string, RouteRateLimit>(RATE_LIMIT_ROUTE, 'skip');
