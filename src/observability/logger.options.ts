import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';

/**
 * Log paths that can carry credentials. pino replaces them with "[Redacted]" before a
 * line is written, so a token or secret never reaches a log sink. Request lines carry no
 * headers at all (see serializers below); these paths guard every other logged object.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-admin-token"]',
  'res.headers["set-cookie"]',
  '*.client_secret',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.code',
  '*.code_verifier',
  '*.secret',
  '*.adminToken',
];

/** Query parameters whose values are credentials (RFC 6750 section 2.3 allows access_token). */
const SENSITIVE_QUERY =
  /([?&](?:access_token|refresh_token|token|code|client_secret|password|code_verifier)=)[^&]*/gi;

export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SENSITIVE_QUERY, '$1[Redacted]');
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** `X-Request-Id` when the caller sent a sane one (a proxy's id joins the logs), else a UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** What a request line says about the request: no headers, no body, the URL redacted. */
interface LoggedRequest {
  method: string;
  url: string;
  ip: string;
}

/**
 * Options of the one pino logger: Fastify logs requests with it and Nest's Logger writes
 * through it (nestjs-pino with `useExisting`, see app.module.ts), so there is no second logger, middleware or per-request
 * redaction of headers.
 */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
