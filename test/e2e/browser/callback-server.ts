/**
 * The application's side of the browser test: a real HTTP server on loopback whose
 * /callback records the query the browser was redirected with (code or error, state, iss)
 * and answers a small page, as a real client's redirect endpoint would.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackServer {
  /** The exact redirect URI to register, e.g. http://127.0.0.1:41234/callback */
  readonly redirectUri: string;
  /** The query of the next (or an already received, not yet taken) callback. */
  next(timeoutMs?: number): Promise<URLSearchParams>;
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const received: URLSearchParams[] = [];
  const waiters: Array<(query: URLSearchParams) => void> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const waiter = waiters.shift();
    if (waiter) waiter(url.searchParams);
    else received.push(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Application</title><h1>Back at the application</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    next(timeoutMs = 15_000) {
      const ready = received.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('no callback reached the application')),
          timeoutMs,
        );
        waiters.push((query) => {
          clearTimeout(timer);
          resolve(query);
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
