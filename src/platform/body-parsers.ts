import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { parse as parseQuery } from 'node:querystring';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Content-Type a service cache PUT arrived with (installCacheValueParser). */
    cacheValueContentType?: string;
  }
}

/** Media type the cache PUT bodies are re-labelled with, so only our raw parser reads them. */
const CACHE_VALUE_TYPE = 'application/vnd.tollgate.cache-value';

/** Deeper JSON is abuse: no request body tollgate accepts nests beyond a handful of levels. */
export const MAX_JSON_DEPTH = 32;

/** A 400 that the exception filters turn into `invalid_request`. */
class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  constructor(limit: number) {
    super(`JSON body nests deeper than ${limit} levels`);
  }
}

/**
 * Deepest nesting of `[`/`{` in a JSON text, ignoring brackets inside strings. A linear scan
 * without recursion, run before JSON.parse: the validation pipe walks parsed bodies
 * recursively and overflowed the stack at depth ~1500 (a 500 from a 3 KB body).
 */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

/**
 * The two body types tollgate reads, registered instead of Nest's defaults (NestFactory
 * option `bodyParser: false`): JSON through Fastify's own parser (prototype-poisoning
 * checks) behind a depth bound, and forms as Nest parses them (a repeated parameter becomes
 * an array, which the OAuth endpoints reject).
 */
export function installBodyParsers(
  app: NestFastifyApplication,
  bodyLimit: number,
  maxDepth = MAX_JSON_DEPTH,
): void {
  const parseJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonDepth(text, maxDepth) > maxDepth) {
      done(new JsonTooDeepError(maxDepth), undefined);
      return;
    }
    parseJson(request as FastifyRequest, text, done);
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) =>
    done(null, parseQuery(body.toString('utf8'))),
  );
}

/**
 * Service cache PUT bodies are values, not requests: any content type, kept as raw bytes,
 * at most `maxBytes`. An onRequest hook re-labels PUTs to routes under `routePrefix` with a
 * private media type (keeping the original for the store), so neither the JSON nor the form
 * parser touches them, and Fastify refuses a larger body with 413 from its Content-Length,
 * or as soon as a chunked body passes the limit, before it is buffered whole.
 */
export function installCacheValueParser(
  app: NestFastifyApplication,
  routePrefix: string,
  maxBytes: number,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.method === 'PUT' && request.routeOptions.url?.startsWith(routePrefix)) {
      request.cacheValueContentType = request.headers['content-type'];
      request.headers['content-type'] = CACHE_VALUE_TYPE;
    }
    done();
  });
  fastify.addContentTypeParser(
    CACHE_VALUE_TYPE,
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_request, body, done) => done(null, body),
  );
}
