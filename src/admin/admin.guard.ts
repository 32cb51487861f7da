import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { BearerTokenGuard } from '../tokens/bearer-token.guard';

/** The scope a client access token needs to use the admin API (with @RequireScopes). */
export const ADMIN_SCOPE = 'admin';

/**
 * Admits the bootstrap credential config.oauth.adminToken, sent as
 * `Authorization: Bearer ...`; anything else goes to the shared BearerTokenGuard, which
 * admits an access token with the route's required scopes (`admin`) and renders the
 * RFC 6750 section 3 challenges.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly adminTokenDigest?: Buffer;

  constructor(
    config: AppConfig,
    private readonly bearer: BearerTokenGuard,
  ) {
    const adminToken = config.oauth.adminToken;
    this.adminTokenDigest = adminToken ? sha256(adminToken) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const token = /^Bearer +(\S+)$/i.exec(header ?? '')?.[1];
    if (token !== undefined && this.isAdminToken(token)) return true;
    return this.bearer.canActivate(context);
  }

  /** Constant time: both sides are hashed to equal-length digests before comparing. */
  private isAdminToken(token: string): boolean {
    return (
      this.adminTokenDigest !== undefined && timingSafeEqual(sha256(token), this.adminTokenDigest)
    );
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
