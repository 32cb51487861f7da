import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitScope } from '../redis/rate-limit';
import { RATE_LIMIT_ROUTE, RouteRateLimit } from './rate-limit.decorator';
import { RateLimitService } from './rate-limit.service';

/**
 * Charges one request of an HTTP route to `subject` in `scope` (RateLimitedError over the
 * limit) and sets the RateLimit headers of the decision on the answer. Used by the global
 * guard (per IP) and by guards that know the authenticated client (the cache API).
 */
export async function enforceOnRoute(
  limits: RateLimitService,
  context: ExecutionContext,
  scope: RateLimitScope,
  subject: string,
): Promise<void> {
  const decision = await limits.enforce(scope, subject);
  if (decision) {
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .headers(limits.headers(scope, decision));
  }
}

/**
 * Global guard (APP_GUARD): charges each request to a route against its per-IP limit,
 * `default` unless the route says `ip` or `skip` (rate-limit.decorator.ts), and sets the
 * RateLimit headers on the answer. Over the limit it throws RateLimitedError, which the
 * exception filters render as 429. The IP is Fastify's `request.ip`: the socket's peer,
 * or X-Forwarded-For as far as TRUST_PROXY trusts it (platform/http-server.ts), nothing else.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route =
      this.reflector.getAllAndOverride<RouteRateLimit | undefined>(RATE_LIMIT_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'default';
    if (route === 'skip') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await enforceOnRoute(this.limits, context, route, request.ip);
    return true;
  }
}
