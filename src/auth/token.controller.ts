import { Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { NoStore } from '../oauth/oauth-exception.filter';
import { readOAuthForm } from './form-body';
import { OAUTH_EXCEPTION_FILTER } from './oauth-error-translator';
import { TokenEndpointService, TokenResponse } from './token-endpoint.service';

/** RFC 6749 section 3.2: the token endpoint. */
@Controller('oauth2')
@UseFilters(OAUTH_EXCEPTION_FILTER)
export class TokenController {
  constructor(private readonly endpoint: TokenEndpointService) {}

  @Post('token')
  @HttpCode(200)
  @NoStore()
  token(@Req() request: FastifyRequest): Promise<TokenResponse> {
    return this.endpoint.exchange(request.headers, readOAuthForm(request));
  }
}
