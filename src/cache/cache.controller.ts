import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  Put,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SkipRateLimit } from '../ratelimit/rate-limit.decorator';
import { BearerTokenGuard } from '../tokens/bearer-token.guard';
import { RequireScopes } from '../tokens/require-scopes.decorator';
import { CacheNamespaceGuard } from './cache-namespace.guard';
import { parseIfNoneMatch } from './cache-request';
import { CacheRequestError } from './cache.errors';
import { CacheService, CacheStatsView } from './cache.service';

type CacheRequest = FastifyRequest<{ Querystring: Record<string, unknown> }>;

/** Only revalidated use by the caller itself: bearer-authenticated data, never shared caches. */
const CACHE_CONTROL = 'private, no-cache';

/**
 * The service cache API (docs/cache.md). Guards, in order: a live access token with the
 * route's scope (RFC 6750; 401/403 with WWW-Authenticate), then the `{service}` namespace in
 * the token client's `cache_services` (403). Values are raw bytes in and out.
 */
@Controller('api/v1/cache')
// Charged per client by CacheNamespaceGuard, not per IP by the global guard.
@SkipRateLimit()
@UseGuards(BearerTokenGuard, CacheNamespaceGuard)
export class CacheController {
  constructor(private readonly cache: CacheService) {}

  @Get(':service')
  @RequireScopes('cache:read')
  @Header('Cache-Control', 'no-store')
  stats(@Param('service') service: string): Promise<CacheStatsView> {
    return this.cache.stats(service);
  }

  /** RFC 9110 section 13.1.2: If-None-Match naming the current etag answers 304. */
  @Get(':service/:key')
  @RequireScopes('cache:read')
  async get(
    @Param('service') service: string,
    @Param('key') key: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const tags = parseIfNoneMatch(request.headers['if-none-match']);
    const read = await this.cache.get(service, key, tags);
    if (read.kind === 'miss') {
      throw new NotFoundException({ error: 'not_found', error_description: 'no such cache entry' });
    }
    void reply
      .header('ETag', read.entry.etag)
      .header('Last-Modified', new Date(read.entry.updatedAt).toUTCString())
      .header('Cache-Control', CACHE_CONTROL);
    if (read.kind === 'not-modified') {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).header('Content-Type', read.entry.contentType).send(read.entry.value);
  }

  /** The body is the value, any content type, as raw bytes (platform/body-parsers.ts). */
  @Put(':service/:key')
  @RequireScopes('cache:write')
  async put(
    @Param('service') service: string,
    @Param('key') key: string,
    @Req() request: CacheRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.cache.put(service, key, {
      value: request.body as Buffer | undefined,
      contentType: request.cacheValueContentType,
      ttlHeader: single(request.headers['cache-ttl'], 'Cache-TTL'),
      ttlQuery: single(request.query.ttl, '?ttl='),
    });
    void reply.header('ETag', result.etag).header('Cache-Control', 'no-store');
    if (!result.created) {
      await reply.status(204).send();
      return;
    }
    await reply
      .status(201)
      .header('Location', `/api/v1/cache/${service}/${encodeURIComponent(key)}`)
      .send({ service, key, etag: result.etag, ttl_seconds: result.ttlSeconds });
  }

  @Delete(':service/:key')
  @RequireScopes('cache:write')
  @HttpCode(204)
  async delete(@Param('service') service: string, @Param('key') key: string): Promise<void> {
    if (!(await this.cache.delete(service, key))) {
      throw new NotFoundException({ error: 'not_found', error_description: 'no such cache entry' });
    }
  }
}

/** A header or query parameter given at most once, as a string. */
function single(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new CacheRequestError(`${name} must be given once`);
}
