import { isRedisOutage, RETRY_AFTER_SECONDS } from '../redis/redis-unavailable';
import { temporarilyUnavailable, type OAuthError } from '../oauth/errors';
import { OAuthExceptionFilter } from '../oauth/oauth-exception.filter';

/**
 * Storage outages on OAuth endpoints are `temporarily_unavailable` with 503 + Retry-After
 * (ARCHITECTURE.md, HTTP surface), never server_error: the client should simply retry.
 */
export function translateStorageOutage(err: unknown): OAuthError | undefined {
  if (!isRedisOutage(err)) return undefined;
  return temporarilyUnavailable.withHeaders({ 'Retry-After': String(RETRY_AFTER_SECONDS) });
}

/** The exception filter every OAuth controller uses (`@UseFilters(OAUTH_EXCEPTION_FILTER)`). */
export const OAUTH_EXCEPTION_FILTER = new OAuthExceptionFilter(translateStorageOutage);
