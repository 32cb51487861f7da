import type { FastifyInstance } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';

/**
 * Headers on every answer of both listeners, errors and 404s included (OWASP HTTP headers
 * cheat sheet; RFC 9700 section 4.16 on framing). The API answers JSON and text only, so the
 * CSP forbids everything; rendered pages may set their own policy on their routes.
 */
export function securityHeaders(issuer: string): Readonly<OutgoingHttpHeaders> {
  const headers: OutgoingHttpHeaders = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  };
  // HSTS only means something, and is only safe to send, when clients reach us over https.
  if (issuer.startsWith('https://')) headers['strict-transport-security'] = 'max-age=31536000';
  return Object.freeze(headers);
}

/**
 * One onRequest hook: the security headers and the request id, set before any handler,
 * filter or not-found handler runs, so error answers carry them as well.
 */
export function installSecurityHeaders(fastify: FastifyInstance, issuer: string): void {
  const entries = Object.entries(securityHeaders(issuer)) as [string, string][];
  fastify.addHook('onRequest', (request, reply, done) => {
    for (const [name, value] of entries) reply.header(name, value);
    reply.header('x-request-id', request.id);
    done();
  });
}
