import type {} from '@fastify/helmet';
import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Brand, PageContent, renderPage } from './page-layout';

export interface PageOptions {
  /**
   * Origins the page's forms may end up at besides this server: a login or consent POST is
   * answered with a 303 to the client's redirect URI, and Chromium applies `form-action` to
   * the redirects that follow a form submission too (CSP Level 3, "form-action").
   */
  readonly formTargets?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** The origin of an absolute URL, or undefined when it has none (custom schemes: the URL itself). */
export function originOf(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    return url.origin === 'null' ? `${url.protocol}` : url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Sends a rendered page with the pages' security headers, set through @fastify/helmet's reply
 * decorator (registered with `global: false` in bootstrap.ts, so the API keeps its own
 * headers): a strict CSP (nothing but this page's inline stylesheet, by nonce; no script at
 * all), no framing, no caching (pages carry CSRF tokens), and the API's
 * `default-src 'none'` policy removed for this answer only.
 */
export function sendPage(
  reply: FastifyReply,
  status: number,
  brand: Brand,
  page: PageContent,
  options: PageOptions = {},
): void {
  const nonce = randomBytes(16).toString('base64');
  const formTargets = (options.formTargets ?? []).filter((t) => /^[a-z][a-z0-9+.-]*:/i.test(t));
  reply.removeHeader('content-security-policy');
  reply.helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: [`'nonce-${nonce}'`],
        imgSrc: ["'self'"],
        formAction: ["'self'", ...formTargets],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    // HSTS is the global hook's (only when the issuer is https).
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  void reply
    .status(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      pragma: 'no-cache',
      ...options.headers,
    })
    .send(renderPage(brand, nonce, page));
}
