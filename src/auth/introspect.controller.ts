import { Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SkipRateLimit } from '../ratelimit/rate-limit.decorator';
import { readOAuthForm } from './form-body';
import { IntrospectionResponse, IntrospectionService } from './introspection.service';
import { NoStore, OAUTH_EXCEPTION_FILTER } from './oauth-exception.filter';

/** RFC 7662: token introspection (rate limited per client by IntrospectionService). */
@Controller('oauth2')
@UseFilters(OAUTH_EXCEPTION_FILTER)
@SkipRateLimit()
export class IntrospectController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post('introspect')
  @HttpCode(200)
  @NoStore()
  async introspect(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IntrospectionResponse> {
    const { body, headers } = await this.introspection.introspect(
      request.headers.authorization,
      readOAuthForm(request),
      request.ip,
    );
    void reply.headers(headers);
    return body;
  }
}
