import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

/**
 * Log paths that can carry credentials. pino replaces them with "[Redacted]" before a
 * line is written, so a token or secret never reaches a log sink.
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

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: {
          id: string;
          method: string;
          url: string;
          headers: Record<string, unknown>;
        }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          headers: req.headers,
        }),
      },
      autoLogging: {
        ignore: (req) => req.url === '/metrics' || req.url?.startsWith('/health') === true,
      },
    },
  };
}
