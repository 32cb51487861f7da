import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { StaticBearerCredential } from '../security/secrets';
import { BearerTokenGuard } from '../tokens/bearer-token.guard';

/** The scope a client access token needs to use the admin API (with @RequireScopes). */
export const ADMIN_SCOPE = 'admin';

/**
 * Admits the bootstrap credential config.oauth.adminToken, sent as
 * `Authorization: Bearer ...` (constant-time comparison); anything else goes to the shared
 * BearerTokenGuard, which admits an access token with the route's required scopes
 * (`admin`) and renders the RFC 6750 section 3 challenges.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly adminToken: StaticBearerCredential;

  constructor(
    config: AppConfig,
    private readonly bearer: BearerTokenGuard,
  ) {
    this.adminToken = new StaticBearerCredential(config.oauth.adminToken);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (this.adminToken.accepts(header)) return true;
    return this.bearer.canActivate(context);
  }
}
