import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RATE_LIMIT_ROUTE, RouteRateLimit } from './rate-limit.decorator';
import { RateLimitService } from './rate-limit.service';

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
    const decision = await this.limits.enforce(route, request.ip);
    if (decision) {
      void context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .headers(this.limits.headers(route, decision));
    }
    return true;
  }
}
