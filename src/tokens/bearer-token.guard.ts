import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerCredential } from '../security/secrets';
import { REQUIRED_SCOPES } from './require-scopes.decorator';
import type { TokenInfo } from './token.types';
import { TokensService } from './tokens.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by BearerTokenGuard: the record of the access token the request presented. */
    tokenInfo?: TokenInfo;
  }
}

export const BEARER_REALM = 'tollgate';

/** Longer than any token we issue by far; bounds the work done for garbage input. */
const MAX_TOKEN_LENGTH = 512;

type BearerError = 'invalid_token' | 'insufficient_scope';

/**
 * Protects resource routes with an access token (RFC 6750): reads `Authorization: Bearer`,
 * introspects the token (one Redis round trip) and checks the scopes of @RequireScopes.
 * It renders its own RFC 6750 section 3 errors (status, WWW-Authenticate header, JSON body)
 * so it depends on no other feature module. On success `request.tokenInfo` holds the record.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: TokensService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const credential = bearerCredential(request.headers.authorization);
    // RFC 6750 section 3.1: a request without credentials gets no error code.
    if (credential.kind === 'absent') this.reject(reply);
    if (credential.kind === 'malformed' || credential.token.length > MAX_TOKEN_LENGTH) {
      this.reject(reply, 'invalid_token', 'The access token is malformed');
    }
    const token = credential.token;
    const info = await this.tokens.introspect(token, 'access_token');
    if (!info || info.kind !== 'access_token') {
      this.reject(reply, 'invalid_token', 'The access token is invalid, expired or revoked');
    }
    const required =
      this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    const missing = required.filter((scope) => !info.scope.includes(scope));
    if (missing.length > 0) {
      this.reject(reply, 'insufficient_scope', 'The access token lacks a required scope', required);
    }
    request.tokenInfo = info;
    return true;
  }

  /** Sets WWW-Authenticate (RFC 6750 section 3) and throws the matching 401/403. */
  private reject(
    reply: FastifyReply,
    error?: BearerError,
    description?: string,
    scope?: readonly string[],
  ): never {
    const params = [`realm="${BEARER_REALM}"`];
    if (error) params.push(`error="${error}"`);
    if (description) params.push(`error_description="${description}"`);
    if (scope) params.push(`scope="${scope.join(' ')}"`);
    void reply.header('WWW-Authenticate', `Bearer ${params.join(', ')}`);
    const status = error === 'insufficient_scope' ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED;
    // Without credentials the body carries no RFC 6750 error code, only the one error shape.
    const body = error
      ? { error, error_description: description }
      : {
          error: 'unauthorized',
          error_description: 'Authentication required: send a bearer token',
        };
    throw new HttpException(body, status);
  }
}
