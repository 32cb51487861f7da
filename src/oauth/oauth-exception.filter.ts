import {
  applyDecorators,
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  Header,
  HttpException,
  Logger,
} from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  fromLibraryError,
  invalidRequest,
  OAuthError,
  serverError,
  unwrapLibraryError,
} from './errors';

/**
 * RFC 6749 section 5.1 / 5.2: token responses and errors carry these; they are also set on
 * introspection and revocation answers, which hold token state just the same.
 */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

/** Success-side twin of the filter's writer: the same no-store headers on a handler. */
export const NoStore = (): MethodDecorator & ClassDecorator =>
  applyDecorators(...Object.entries(NO_STORE_HEADERS).map(([name, value]) => Header(name, value)));

/** Realm named in `WWW-Authenticate: Basic` challenges (RFC 7617 section 2). */
export const BASIC_REALM = 'tollgate';

/**
 * Classifies errors this module cannot know about (e.g. storage outages) as OAuth errors;
 * undefined means "not mine". Keeps src/oauth free of dependencies on other features.
 */
export type ErrorTranslator = (err: unknown) => OAuthError | undefined;

/** The single place that writes an OAuth error response. */
export function writeOAuthError(reply: FastifyReply, err: OAuthError): void {
  void reply
    .status(err.status)
    .headers({ ...NO_STORE_HEADERS, ...err.headers })
    .send(err.toBody());
}

/**
 * Renders every exception raised by an OAuth endpoint as RFC 6749 section 5.2 JSON.
 * Anything unrecognised becomes server_error (500) without internals, and is logged.
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthExceptionFilter');

  constructor(private readonly translate: ErrorTranslator = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const err = this.classify(exception);
    writeOAuthError(
      http.getResponse<FastifyReply>(),
      challengeBasic(err, http.getRequest<FastifyRequest>()),
    );
  }

  private classify(exception: unknown): OAuthError {
    const known = toOAuthError(exception, this.translate);
    if (known) return known;
    this.logUnexpected(unwrapLibraryError(exception));
    return serverError;
  }

  private logUnexpected(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this.logger.error(
      `Unexpected error in an OAuth endpoint: ${error.name}: ${error.message}`,
      error.stack,
    );
  }
}

/**
 * Classifies an exception raised while serving an OAuth request; undefined when it is not
 * a known OAuth condition (the caller answers server_error and logs it).
 */
export function toOAuthError(
  exception: unknown,
  translate: ErrorTranslator,
): OAuthError | undefined {
  const original = unwrapLibraryError(exception);
  if (original instanceof OAuthError) return original;
  const translated = translate(original);
  if (translated) return translated;
  if (original instanceof OAuth2Server.OAuthError) {
    const mapped = fromLibraryError(original);
    return mapped === serverError ? undefined : mapped;
  }
  if (original instanceof HttpException && original.getStatus() < 500) {
    // Framework-level 4xx (e.g. a validation pipe): the client sent something malformed.
    return invalidRequest.withHint(original.message);
  }
  return undefined;
}

/**
 * RFC 6749 section 5.2: if the client attempted to authenticate via the Authorization
 * header, invalid_client MUST be 401 with a WWW-Authenticate challenge of that scheme.
 */
function challengeBasic(err: OAuthError, request: FastifyRequest | undefined): OAuthError {
  const authorization = request?.headers?.authorization;
  if (err.error !== 'invalid_client' || !/^basic(\s|$)/i.test(authorization ?? '')) return err;
  return err.withStatus(401).withHeaders({ 'WWW-Authenticate': `Basic realm="${BASIC_REALM}"` });
}
