import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ManagementCredential } from './management-credential';

/** Admits only the admin credential; anything else is 401 with a Bearer challenge. */
@Injectable()
export class ManagementGuard implements CanActivate {
  constructor(private readonly credential: ManagementCredential) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    if (this.credential.accepts(http.getRequest<FastifyRequest>().headers.authorization)) {
      return true;
    }
    void http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="management"');
    throw new UnauthorizedException({
      error: 'unauthorized',
      error_description: 'the admin credential is required (Authorization: Bearer <ADMIN_TOKEN>)',
    });
  }
}
