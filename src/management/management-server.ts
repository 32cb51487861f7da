import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { DependencyReport } from '../health/dependency-report';
import { connectionsCheckingInterval } from '../platform/http-server';
import { securityHeaders } from '../platform/security-headers';

type Page = () => Promise<{ type: string; body: string }>;

/**
 * The management listener (MANAGEMENT_PORT): /metrics and /health/dependencies, and nothing
 * else, on a port that is not exposed publicly (a plain Node server in the same process:
 * two read-only routes need no framework). Opens when the app boots, closes on shutdown.
 */
@Injectable()
export class ManagementServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ManagementServer.name);
  private server?: Server;
  private readonly pages: Record<string, Page>;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: AppConfig,
    dependencies: DependencyReport,
  ) {
    this.headers = {
      ...(securityHeaders(config.oauth.issuer) as Record<string, string>),
      'cache-control': 'no-store',
    };
    this.pages = {
      '/metrics': async () => ({ type: register.contentType, body: await register.metrics() }),
      '/health/dependencies': async () => ({
        type: 'application/json; charset=utf-8',
        body: JSON.stringify(await dependencies.build()),
      }),
    };
  }

  /** The bound address (tests listen on port 0). */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.management;
    if (port === undefined) return;
    const { http } = this.config;
    const server = createServer({
      requestTimeout: http.requestTimeoutMs,
      headersTimeout: http.headersTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingInterval(http),
    });
    server.on('request', (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = this.address();
    this.logger.log(`management listener on http://${host}:${bound?.port ?? port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const page = Object.hasOwn(this.pages, path) ? this.pages[path] : undefined;
    if (!page)
      return this.send(res, 404, { error: 'not_found', error_description: 'no such page' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.send(res, 405, {
        error: 'method_not_allowed',
        error_description: `${req.method} is not allowed here; allowed: GET, HEAD`,
      });
    }
    try {
      const { type, body } = await page();
      res.writeHead(200, { ...this.headers, 'content-type': type });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.logger.error(`management ${path} failed: ${(err as Error).message}`);
      this.send(res, 500, { error: 'server_error', error_description: 'internal server error' });
    }
  }

  private send(res: ServerResponse, status: number, body: object): void {
    res.writeHead(status, { ...this.headers, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}
