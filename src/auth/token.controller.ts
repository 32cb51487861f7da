import { Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SkipRateLimit } from '../ratelimit/rate-limit.decorator';
import { readOAuthForm } from './form-body';
import { NoStore, OAUTH_EXCEPTION_FILTER } from './oauth-exception.filter';
import { TokenEndpointService, TokenResponse } from './token-endpoint.service';

/** RFC 6749 section 3.2: the token endpoint (rate limited per client by TokenEndpointService). */
@Controller('oauth2')
@SkipRateLimit()
@UseFilters(OAUTH_EXCEPTION_FILTER)
export class TokenController {
  constructor(private readonly endpoint: TokenEndpointService) {}

  @Post('token')
  @HttpCode(200)
  @NoStore()
  token(@Req() request: FastifyRequest): Promise<TokenResponse> {
    return this.endpoint.token(request.headers, readOAuthForm(request), request.ip);
  }
}
