import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

interface PathMethods {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/**
 * Which methods each registered path accepts, so a wrong method answers 405 with `Allow`
 * (RFC 9110 section 15.5.6) instead of 404. Filled by an onRoute hook while Nest registers
 * routes; read only on the not-found path, never per matched request.
 */
@Injectable()
export class RouteTable {
  private readonly paths = new Map<string, PathMethods>();

  /** Records every route added to `fastify` from now on (call before app.init()). */
  watch(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      this.add(route.url, methods);
    });
  }

  add(url: string, methods: readonly string[]): void {
    const entry = this.paths.get(url) ?? { pattern: toRegExp(url), methods: new Set<string>() };
    for (const method of methods) entry.methods.add(method.toUpperCase());
    this.paths.set(url, entry);
  }

  /** Methods allowed on `path` (no query string or fragment), sorted; empty when no route matches it. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const entry of this.paths.values()) {
      if (entry.pattern.test(path)) entry.methods.forEach((m) => methods.add(m));
    }
    return [...methods].sort();
  }
}

/**
 * find-my-way syntax: `:param` matches one segment, `*` the rest of the path. Exactly, like
 * the router (no `ignoreTrailingSlash`): `/oauth2/token/` is no route, so it is a 404 for
 * every method, never a 405 naming a method that would then answer 404.
 */
function toRegExp(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}
