import {
  applyDecorators,
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  Header,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../redis/rate-limit';
import { RedisUnavailableException, RETRY_AFTER_SECONDS } from '../redis/redis-unavailable';
import { limitedHeaders } from '../ratelimit/rate-limit-headers';
import { invalidRequest, OAuthError, serverError, temporarilyUnavailable } from './errors';

/**
 * RFC 6749 section 5.1 / 5.2: token responses and errors carry these; they are also set on
 * introspection and revocation answers, which hold token state just the same.
 */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

/** Success-side twin of the filter's writer: the same no-store headers on a handler. */
export const NoStore = (): MethodDecorator =>
  applyDecorators(...Object.entries(NO_STORE_HEADERS).map(([name, value]) => Header(name, value)));

/** Realm named in `WWW-Authenticate: Basic` challenges (RFC 7617 section 2). */
export const BASIC_REALM = 'tollgate';

/** The single place that writes an OAuth error response. */
export function writeOAuthError(reply: FastifyReply, err: OAuthError): void {
  void reply
    .status(err.status)
    .headers({ ...NO_STORE_HEADERS, ...err.headers })
    .send(err.toBody());
}

/**
 * Classifies anything an OAuth endpoint throws: our OAuthError as it is; a Redis outage
 * (already classified by the store) is temporarily_unavailable with 503 + Retry-After
 * (never server_error: the client should simply retry); a rate limit is 429
 * temporarily_unavailable with Retry-After and RateLimit headers; a framework 4xx is
 * invalid_request; anything else is server_error carrying the original as its cause.
 */
export function toOAuthError(exception: unknown): OAuthError {
  if (exception instanceof OAuthError) return exception;
  if (exception instanceof RateLimitedError) return rateLimited(exception);
  if (exception instanceof RedisUnavailableException) {
    return temporarilyUnavailable
      .withHeaders({ 'Retry-After': String(RETRY_AFTER_SECONDS) })
      .withCause(exception);
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    return invalidRequest.withHint(exception.message).withCause(exception);
  }
  return serverError.withCause(exception);
}

/**
 * 429 (RFC 6585 section 4) with an RFC 6749 body. `temporarily_unavailable` (RFC 6749 section
 * 4.1.2.1, registered for every endpoint in the IANA OAuth Extensions Error registry) is the
 * code OAuth clients already treat as "retry later"; `slow_down` (RFC 8628 section 3.5) is
 * the device grant's polling signal and would mislead other grants.
 */
function rateLimited(err: RateLimitedError): OAuthError {
  const headers = limitedHeaders(err.charge, err.retryAfterMs);
  return temporarilyUnavailable
    .withStatus(429)
    .withHint(`Rate limit exceeded; retry after ${headers['Retry-After']} seconds`)
    .withHeaders(headers)
    .withCause(err);
}

/**
 * Renders every exception raised by an OAuth endpoint as RFC 6749 section 5.2 JSON.
 * server_error answers carry no internals; their cause is logged.
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const err = toOAuthError(exception);
    if (err.status === 500) this.logUnexpected(err.cause ?? err);
    writeOAuthError(
      http.getResponse<FastifyReply>(),
      challengeBasic(err, http.getRequest<FastifyRequest>()),
    );
  }

  private logUnexpected(cause: unknown): void {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    this.logger.error(
      `Unexpected error in an OAuth endpoint: ${error.name}: ${error.message}`,
      error.stack,
    );
  }
}

/**
 * RFC 6749 section 5.2: if the client attempted to authenticate via the Authorization
 * header, invalid_client MUST be 401 with a WWW-Authenticate challenge of that scheme.
 */
function challengeBasic(err: OAuthError, request: FastifyRequest | undefined): OAuthError {
  const authorization = request?.headers?.authorization;
  if (err.error !== 'invalid_client' || !/^basic(\s|$)/i.test(authorization ?? '')) return err;
  return err.withStatus(401).withHeaders({ 'WWW-Authenticate': `Basic realm="${BASIC_REALM}"` });
}

/** The filter every OAuth controller uses (`@UseFilters(OAUTH_EXCEPTION_FILTER)`). */
export const OAUTH_EXCEPTION_FILTER = new OAuthExceptionFilter();
