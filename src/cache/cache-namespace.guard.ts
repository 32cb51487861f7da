import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ClientsService } from '../clients/clients.service';
import { enforceOnRoute } from '../ratelimit/rate-limit.guard';
import { RateLimitService } from '../ratelimit/rate-limit.service';
import { checkService } from './cache-request';
import { CacheNamespaceForbiddenError } from './cache.errors';

/**
 * Runs after BearerTokenGuard (which set `request.tokenInfo`): the token's client must list
 * the `{service}` of the path in its `cache_services`. The client record comes from the
 * registry's in-process cache (no Redis call while cached), so the token check stays the
 * request's one auth round trip. A client whose record changed is seen within about a second
 * (the registry's pub/sub eviction).
 *
 * Rate limit: the cache API is charged per authenticated client (the `client` scope, shared
 * with the token, introspection and revocation endpoints), not per IP: the microservices
 * that use it often sit behind one NAT or proxy address (docs/rate-limiting.md).
 */
@Injectable()
export class CacheNamespaceGuard implements CanActivate {
  constructor(
    private readonly clients: ClientsService,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: { service: string } }>>();
    const service = checkService(request.params.service);
    const info = request.tokenInfo;
    const client = info ? await this.clients.get(info.clientId) : null;
    if (!client?.cacheServices.includes(service)) throw new CacheNamespaceForbiddenError(service);
    await enforceOnRoute(this.limits, context, 'client', client.id);
    return true;
  }
}
