import { Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readOAuthForm } from './form-body';
import { IntrospectionResponse, IntrospectionService } from './introspection.service';
import { NoStore, OAUTH_EXCEPTION_FILTER } from './oauth-exception.filter';

/** RFC 7662: token introspection. */
@Controller('oauth2')
@UseFilters(OAUTH_EXCEPTION_FILTER)
export class IntrospectController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post('introspect')
  @HttpCode(200)
  @NoStore()
  introspect(@Req() request: FastifyRequest): Promise<IntrospectionResponse> {
    return this.introspection.introspect(request.headers.authorization, readOAuthForm(request));
  }
}
