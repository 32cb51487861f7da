import { FastifyHttpOptions, LogController } from 'fastify';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { AppConfig, HttpConfig } from '../config/app-config';
import { requestId } from '../observability/logger.options';
import { clientErrorHandler, frameworkErrorHandler } from './framework-errors';
import { securityHeaders } from './security-headers';

/** Body limit for every route: OAuth requests are small; big bodies are abuse. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * How often Node checks every connection against the request and headers timeouts: its
 * default (30 s) would let a slow body live up to 30 s past HTTP_REQUEST_TIMEOUT_MS.
 */
export function connectionsCheckingInterval(http: HttpConfig): number {
  return Math.max(25, Math.min(1000, Math.floor(http.headersTimeoutMs / 4)));
}

/**
 * The Fastify options of the main listener: timeouts against slow clients, proxy trust as
 * configured, the shared pino logger, request ids, and our error shape for the errors
 * Fastify answers itself. `skipMiddie`: no Nest middleware is used, so no Express-style
 * middleware layer runs on every request.
 */
export function fastifyOptions(config: AppConfig, logger: Logger) {
  const { http } = config;
  const headers = securityHeaders(config.oauth.issuer);
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    // Service cache keys may have up to 512 characters (cache/cache-request.ts); longer path
    // parameters are 414. Fastify's default is 100.
    routerOptions: { maxParamLength: 512 },
    trustProxy: http.trustProxy === false ? false : trustProxyValue(http.trustProxy),
    requestTimeout: http.requestTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: {
      requestTimeout: http.requestTimeoutMs,
      headersTimeout: http.headersTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingInterval(http),
    },
    loggerInstance: logger,
    genReqId: requestId,
    // One line per request is written by observability/request-log.ts, at info only.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: frameworkErrorHandler(headers),
    clientErrorHandler: clientErrorHandler(headers),
    return503OnClosing: true,
    skipMiddie: true,
  } satisfies FastifyHttpOptions<Server> & { skipMiddie: boolean };
}

function trustProxyValue(trust: number | readonly string[]): number | string[] {
  return typeof trust === 'number' ? trust : [...trust];
}

/** Node refuses (closes) connections beyond this, before any request is read. */
export function applyConnectionLimit(server: Server, http: HttpConfig): void {
  server.maxConnections = http.maxConnections;
}
