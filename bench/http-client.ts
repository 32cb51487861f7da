/**
 * A small keep-alive HTTP/1.1 client for the round-trip loads (bench/authorize-route.ts):
 * node:http with one keep-alive Agent (each worker of the loop has one request in flight, so
 * the agent holds as many sockets as there are workers), no redirects followed (a 303 is an
 * answer to read, not to follow). Lighter than fetch on the load generator's side, which
 * shares the machine's cores with the server and Redis.
 */
import { Agent, request } from 'node:http';
import { RequestTimeoutError } from './round-trip-loop';

/** autocannon's default per-request timeout. */
const TIMEOUT_MS = 10_000;

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/oauth2/authorize?...`. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(base: string) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true });
  }

  send(spec: HttpRequest): Promise<HttpAnswer> {
    const headers = { ...spec.headers };
    if (spec.body !== undefined) headers['content-length'] = String(Buffer.byteLength(spec.body));
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.host, port: this.port, method: spec.method, path: spec.path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.setTimeout(TIMEOUT_MS, () =>
        req.destroy(new RequestTimeoutError(`${spec.method} ${spec.path} timed out`)),
      );
      req.on('error', reject);
      req.end(spec.body);
    });
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}
