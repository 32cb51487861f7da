import { createHash } from 'node:crypto';
import { CACHE_SERVICE_PATTERN, CACHE_SERVICE_RULE } from '../clients/client-validation';
import { CacheRequestError } from './cache.errors';

/**
 * Cache keys are part of a Redis key and of the URL path: printable, no `/`, no spaces.
 * `:` is allowed (service names never contain it, so `cache:resource:{service}:{key}` splits
 * unambiguously).
 */
export const CACHE_KEY_PATTERN = /^[A-Za-z0-9._~:@=+-]{1,512}$/;
export const CACHE_KEY_RULE = '1-512 characters of A-Z a-z 0-9 . _ ~ : @ = + -';
/** A media type as sent (echoed back on GET): visible ASCII and spaces, bounded. */
const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** More If-None-Match tags than any client needs: refused as abuse. */
const MAX_IF_NONE_MATCH_TAGS = 50;

export function checkService(service: string): string {
  if (!CACHE_SERVICE_PATTERN.test(service)) {
    throw new CacheRequestError(`the service name must be ${CACHE_SERVICE_RULE}`);
  }
  return service;
}

export function checkKey(key: string): string {
  if (!CACHE_KEY_PATTERN.test(key)) {
    throw new CacheRequestError(`the cache key must be ${CACHE_KEY_RULE}`);
  }
  return key;
}

/** The content type to store: the request's, or application/octet-stream when absent. */
export function checkContentType(contentType: string | undefined): string {
  if (contentType === undefined || contentType === '') return DEFAULT_CONTENT_TYPE;
  if (!CONTENT_TYPE.test(contentType)) {
    throw new CacheRequestError('Content-Type must be a media type of at most 255 characters');
  }
  return contentType;
}

/**
 * The entry's lifetime: `Cache-TTL` header or `?ttl=` (whole seconds, 1 to the configured
 * maximum), else the default. Both given with different values is ambiguous: refused.
 */
export function resolveTtl(
  header: string | undefined,
  query: string | undefined,
  limits: { defaultTtlSeconds: number; maxTtlSeconds: number },
): number {
  if (header !== undefined && query !== undefined && header.trim() !== query.trim()) {
    throw new CacheRequestError('Cache-TTL and ?ttl= disagree: send one of them');
  }
  const raw = (header ?? query)?.trim();
  if (raw === undefined) return limits.defaultTtlSeconds;
  const ttl = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(ttl >= 1 && ttl <= limits.maxTtlSeconds)) {
    throw new CacheRequestError(
      `the TTL must be a whole number of seconds from 1 to ${limits.maxTtlSeconds}`,
    );
  }
  return ttl;
}

/** Strong entity tag of a value (RFC 9110 section 8.8.3): its SHA-256, base64url. */
export function strongEtag(value: Buffer): string {
  return `"${createHash('sha256').update(value).digest('base64url')}"`;
}

/**
 * The entity tags of If-None-Match. RFC 9110 section 13.1.2: it uses the weak comparison,
 * so `W/"x"` matches our strong `"x"`. Tags that cannot be ours (unquoted, with spaces) are
 * dropped; `*` is kept (any current entry matches).
 */
export function parseIfNoneMatch(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const tags = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .filter((tag) => tag === '*' || /^"[\x21\x23-\x7e]*"$/.test(tag));
  if (tags.length > MAX_IF_NONE_MATCH_TAGS) {
    throw new CacheRequestError(`If-None-Match lists more than ${MAX_IF_NONE_MATCH_TAGS} tags`);
  }
  return tags;
}
