import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteTable } from './platform/route-table';
import { RateLimitedError } from './redis/rate-limit';
import { RedisUnavailableException, RETRY_AFTER_SECONDS } from './redis/redis-unavailable';
import { limitedHeaders } from './ratelimit/rate-limit-headers';

/** Error codes for statuses Nest or Fastify raise without one of ours. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'invalid_request',
  415: 'invalid_request',
};

interface ErrorBody {
  error: string;
  error_description: string;
  [extra: string]: unknown;
}

/**
 * Global last-resort filter, so every error body has one shape, `{error,
 * error_description}` (RFC 6749 section 5.2 style), whoever raised it:
 * - a Redis outage anywhere: 503 + Retry-After, body naming the connection state;
 * - a rate limit (RateLimitGuard): 429 + Retry-After and the RateLimit headers;
 * - HttpExceptions with a body built on purpose (ours, Terminus's health report): as they are;
 * - Nest/Fastify errors (malformed JSON, body too large): their status with a code and
 *   their message;
 * - no route: 405 + `Allow` when the path exists for other methods, else 404; neither
 *   echoes the query string (it can carry tokens);
 * - anything else is a bug: 500 `server_error` without internals, logged.
 * Route-scoped filters (OAuth, admin) run before this one.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(AppExceptionFilter.name);

  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const [status, body] = this.noRoute(exception, request, reply) ?? this.render(exception);
    if (status === 503) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    if (exception instanceof RateLimitedError) {
      void reply.headers(limitedHeaders(exception.charge, exception.retryAfterMs));
    }
    void reply.status(status).header('Cache-Control', 'no-store').send(body);
  }

  /**
   * Nest's not-found handler throws `Cannot <METHOD> <raw URL>`; answer without the query.
   * Fastify parses a body before that handler runs, so for a request no route takes, a body
   * it cannot parse (malformed JSON, an empty or unknown media type, too large) fails first
   * with a 400, 413 or 415: still a no-route answer, since nothing would ever read that body.
   * Only the not-found handler's requests are `is404`: no controller or guard ran for them.
   * find-my-way also matches an empty path parameter (`/cache//key`, `/users/`), which Fastify
   * hands to the not-found handler only after parsing the body: unrouted as well.
   */
  private noRoute(
    exception: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): [number, ErrorBody] | undefined {
    const notFound =
      exception instanceof NotFoundException &&
      exception.message.startsWith(`Cannot ${request.method} `);
    if (!notFound && !(unrouted(request) && isClientError(exception))) return undefined;
    // The router ignores a fragment as it ignores the query (GET /login#x is the login page).
    const path = request.url.split(/[?#]/)[0];
    const allowed = this.routes.allowed(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('Allow', allowed.join(', '));
      return [
        405,
        {
          error: 'method_not_allowed',
          error_description: `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`,
        },
      ];
    }
    return [404, { error: 'not_found', error_description: `Cannot ${request.method} ${path}` }];
  }

  private render(exception: unknown): [number, ErrorBody] {
    // Outages were classified once, at the store (storageCall): nothing is matched here.
    if (exception instanceof RedisUnavailableException) {
      return [exception.getStatus(), exception.getResponse() as ErrorBody];
    }
    if (exception instanceof RateLimitedError) {
      const retryAfter = limitedHeaders(exception.charge, exception.retryAfterMs)['Retry-After'];
      const description = `Rate limit exceeded; retry after ${retryAfter} seconds`;
      return [429, { error: 'too_many_requests', error_description: description }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      // Bodies built on purpose (ours, Terminus's health report) go out as they are;
      // Nest's generic `{statusCode, message}` is rewritten into our shape.
      if (typeof response === 'object' && !isNestDefaultBody(response)) {
        return [status, response as ErrorBody];
      }
      return [status, { error: codeFor(status), error_description: exception.message }];
    }
    const status = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own errors (malformed JSON, body too large, unsupported media type).
      return [status, { error: codeFor(status), error_description: (exception as Error).message }];
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return [500, { error: 'server_error', error_description: 'internal server error' }];
  }
}

function codeFor(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request');
}

/** Taken by the not-found handler, or bound for it (a route matched with an empty parameter). */
function unrouted(request: FastifyRequest): boolean {
  const params = (request.params ?? {}) as Record<string, unknown>;
  return request.is404 || Object.values(params).includes('');
}

/** A 4xx: Fastify's own errors arrive as HttpExceptions (Nest maps them) or with statusCode. */
function isClientError(exception: unknown): boolean {
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function isNestDefaultBody(body: object): boolean {
  return 'statusCode' in body && 'message' in body && !('error_description' in body);
}
