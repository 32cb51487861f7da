import { Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { NoStore } from '../oauth/oauth-exception.filter';
import { readOAuthForm } from './form-body';
import { IntrospectionResponse, IntrospectionService } from './introspection.service';
import { OAUTH_EXCEPTION_FILTER } from './oauth-error-translator';

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
