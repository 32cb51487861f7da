import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Errors Fastify and Node answer before any route, hook or Nest filter runs, rewritten into
 * the one error shape `{error, error_description}` with the security headers. Descriptions
 * never echo the URL: it can carry tokens.
 */
const FRAMEWORK_ERRORS: Record<string, [number, string]> = {
  FST_ERR_BAD_URL: [400, 'malformed URL'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'a path segment is too long'],
  FST_ERR_ASYNC_CONSTRAINT: [500, 'internal server error'],
};

/** Fastify's `frameworkErrors` option: bad URL encoding, over-long path parameters. */
export function frameworkErrorHandler(
  headers: Readonly<OutgoingHttpHeaders>,
): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
    const [status, description] = FRAMEWORK_ERRORS[error.code ?? ''] ?? [400, 'bad request'];
    void reply
      .code(status)
      .headers({ ...headers, 'x-request-id': request.id, 'cache-control': 'no-store' })
      .send({
        error: status >= 500 ? 'server_error' : 'invalid_request',
        error_description: description,
      });
  };
}

/** Errors of the HTTP parser, before a request exists (Node's 'clientError' event). */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request did not arrive in time'],
  HPE_HEADER_OVERFLOW: [431, 'request headers (or the URL) too large'],
  HPE_URI_TOO_LONG: [414, 'URL too long'],
};

/** Fastify's `clientErrorHandler`: answers in our shape on the raw socket, then closes it. */
export function clientErrorHandler(
  headers: Readonly<OutgoingHttpHeaders>,
): (error: Error & { code?: string }, socket: Socket) => void {
  const fixed = Object.entries(headers)
    .map(([name, value]) => `${name}: ${String(value)}\r\n`)
    .join('');
  return (error, socket) => {
    // A reset socket has nobody left to answer (Node docs, event 'clientError').
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, description] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'malformed request'];
    const body = JSON.stringify({ error: 'invalid_request', error_description: description });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${fixed}` +
          'content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n' +
          `connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
