import { Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SkipRateLimit } from '../ratelimit/rate-limit.decorator';
import { readOAuthForm } from './form-body';
import { NoStore, OAUTH_EXCEPTION_FILTER } from './oauth-exception.filter';
import { RevocationService } from './revocation.service';

/** RFC 7009: token revocation (rate limited per client by RevocationService). */
@Controller('oauth2')
@SkipRateLimit()
@UseFilters(OAUTH_EXCEPTION_FILTER)
export class RevokeController {
  constructor(private readonly revocation: RevocationService) {}

  /**
   * RFC 7009 section 2.2: 200 with an empty body, whether or not the token was known. The
   * JSON content type lets strict JSON clients (e.g. simple-oauth2) accept the empty body.
   */
  @Post('revoke')
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @NoStore()
  async revoke(@Req() request: FastifyRequest): Promise<void> {
    await this.revocation.revoke(request.headers.authorization, readOAuthForm(request), request.ip);
  }
}
