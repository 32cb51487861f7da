import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { TokensService } from '../tokens/tokens.service';

/** The scope a client access token needs to use the admin API. */
export const ADMIN_SCOPE = 'admin';
const REALM = 'tollgate';

/**
 * Admits either the bootstrap credential config.oauth.adminToken or an access token
 * carrying the `admin` scope, both sent as `Authorization: Bearer ...` (RFC 6750
 * section 2.1). Challenges follow RFC 6750 section 3: no credentials => 401 with the bare
 * realm, a bad token => 401 invalid_token, a valid token without the scope => 403
 * insufficient_scope.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly adminTokenDigest?: Buffer;

  constructor(
    config: AppConfig,
    private readonly tokens: TokensService,
  ) {
    const adminToken = config.oauth.adminToken;
    this.adminTokenDigest = adminToken ? sha256(adminToken) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const token = bearerToken(http.getRequest<FastifyRequest>().headers.authorization);
    if (!token) {
      void reply.header('WWW-Authenticate', `Bearer realm="${REALM}"`);
      throw new UnauthorizedException({
        error: 'invalid_request',
        error_description: 'admin credentials required: Authorization: Bearer <token>',
      });
    }
    if (this.isAdminToken(token)) return true;
    const info = await this.tokens.introspect(token, 'access_token');
    if (!info || info.kind !== 'access_token') {
      void reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
      throw new UnauthorizedException({
        error: 'invalid_token',
        error_description: 'the bearer token is invalid, expired or revoked',
      });
    }
    if (!info.scope.includes(ADMIN_SCOPE)) {
      void reply.header(
        'WWW-Authenticate',
        `Bearer realm="${REALM}", error="insufficient_scope", scope="${ADMIN_SCOPE}"`,
      );
      throw new ForbiddenException({
        error: 'insufficient_scope',
        error_description: `the token lacks the ${ADMIN_SCOPE} scope`,
      });
    }
    return true;
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

/** RFC 6750 section 2.1: `Bearer` (case-insensitive scheme) followed by a b64token. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header ?? '');
  return match?.[1];
}
