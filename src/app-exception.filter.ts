import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  isRedisOutage,
  RedisUnavailableException,
  RETRY_AFTER_SECONDS,
} from './redis/redis-unavailable';

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
 * - our own HttpExceptions (already `{error, error_description}`): as they are;
 * - Nest/Fastify errors (malformed JSON, unknown route, body too large): their status
 *   with a code and their message;
 * - anything else is a bug: 500 `server_error` without internals, logged.
 * Route-scoped filters (OAuth, admin) run before this one.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(AppExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.render(exception);
    if (status === 503) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    void reply.status(status).header('Cache-Control', 'no-store').send(body);
  }

  private render(exception: unknown): [number, ErrorBody] {
    if (isRedisOutage(exception)) {
      const unavailable =
        exception instanceof RedisUnavailableException
          ? exception
          : new RedisUnavailableException('unknown');
      if (unavailable !== exception) {
        this.logger.warn(`Redis outage during request: ${(exception as Error).message}`);
      }
      return [unavailable.getStatus(), unavailable.getResponse() as ErrorBody];
    }
    const status = statusOf(exception);
    if (status === undefined || status >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
      return [500, { error: 'server_error', error_description: 'internal server error' }];
    }
    const response = exception instanceof HttpException ? exception.getResponse() : undefined;
    if (isErrorBody(response)) return [status, response];
    const message = (exception as Error).message;
    return [
      status,
      { error: CODE_BY_STATUS[status] ?? 'invalid_request', error_description: message },
    ];
  }
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const code = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : undefined;
}

function isErrorBody(value: unknown): value is ErrorBody {
  const v = value as Partial<ErrorBody> | null;
  return typeof v?.error === 'string' && typeof v.error_description === 'string';
}
