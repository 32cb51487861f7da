import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { RETRY_AFTER_SECONDS } from '../../redis/redis-unavailable';
import { errorPage } from '../../views/error-page';
import { sendPage } from '../../views/page-reply';
import { toOAuthError } from '../oauth-exception.filter';

const logger = new Logger('AuthorizationPages');

/**
 * The error page for anything the authorize endpoint or an interaction page cannot send back
 * to the client: our OAuthErrors with their status (400, 403), a rate limit as 429, a Redis
 * outage as 503 + Retry-After, and anything else as a 500 without internals (its cause is logged).
 */
export function sendErrorPage(reply: FastifyReply, config: AppConfig, exception: unknown): void {
  const err = toOAuthError(exception);
  if (err.status >= 500 && err.error === 'server_error') {
    const cause = err.cause instanceof Error ? err.cause : new Error(String(err.cause));
    logger.error(
      `Unexpected error on a sign-in page: ${cause.name}: ${cause.message}`,
      cause.stack,
    );
  }
  const body = err.toBody();
  // 503: Retry-After; 429 (rate limited): Retry-After and the RateLimit headers.
  const headers =
    err.status === 503
      ? { 'retry-after': String(RETRY_AFTER_SECONDS), ...err.headers }
      : err.status === 429
        ? err.headers
        : {};
  sendPage(
    reply,
    err.status,
    config.interaction.brand,
    errorPage({ error: body.error, description: body.error_description }),
    { headers },
  );
}
