/**
 * One HTTP/1.1 exchange over a raw socket, so a hostile request reaches the server exactly as
 * written: any method token, a path fetch would normalise (`..`, `%2F`), repeated headers,
 * and body bytes that are not valid UTF-8.
 */
import { connect } from 'node:net';

export interface RawRequest {
  readonly method: string;
  /** The request target as sent, e.g. `/oauth2/token?x=1`. */
  readonly target: string;
  /** In order; a name may repeat. Host, Content-Length and Connection are added. */
  readonly headers: readonly (readonly [string, string | Buffer])[];
  readonly body: Buffer;
}

export interface RawResponse {
  /** 0 when the server closed the connection without a status line. */
  readonly status: number;
  /** Lower-cased names; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sends `req` on a fresh connection (`Connection: close`) and reads until the server closes. */
export function sendRaw(baseUrl: string, req: RawRequest, waitMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const line = (text: string) => Buffer.from(text, 'latin1');
  const head = Buffer.concat([
    line(`${req.method} ${req.target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`),
    ...req.headers.flatMap(([name, value]) => [
      line(`${name}: `),
      typeof value === 'string' ? line(value) : value,
      line('\r\n'),
    ]),
    line(
      req.body.length > 0 || req.method !== 'GET' ? `Content-Length: ${req.body.length}\r\n` : '',
    ),
    line('Connection: close\r\n\r\n'),
  ]);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no answer within ${waitMs} ms to ${req.method} ${req.target.slice(0, 80)}`),
      );
    }, waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer is still an answer
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks)));
    });
    // write, not end: Node's server aborts a request whose client half-closes before the answer.
    socket.on('connect', () => socket.write(Buffer.concat([head, req.body])));
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  const headText = (split < 0 ? raw : raw.subarray(0, split)).toString('latin1');
  const [statusLine, ...lines] = headText.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status, headers, body: body.toString('utf8') };
}

/** Enough of RFC 9112 section 7.1 for bodies we only search for leaks and parse as JSON. */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = eol < 0 ? 0 : parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
