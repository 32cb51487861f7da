/** Raw-socket helpers for what fetch cannot send: partial bodies, bad URLs, huge headers. */
import { connect, Socket } from 'node:net';

export interface RawAnswer {
  /** Everything the server wrote before closing, '' if nothing. */
  readonly text: string;
  readonly status: number | undefined;
  /** Milliseconds from connect to close. */
  readonly closedAfterMs: number;
}

/** Writes `request` on a fresh connection and waits for the server to close it. */
export function rawExchange(url: string, request: string, waitMs = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const started = Date.now();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open for ${waitMs} ms`));
    }, waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset is a close too
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({
        text,
        status: status ? Number(status) : undefined,
        closedAfterMs: Date.now() - started,
      });
    });
    socket.on('connect', () => socket.write(request));
  });
}

/** The JSON body of a raw HTTP/1.1 answer (Content-Length framed). */
export function rawJson(answer: RawAnswer): unknown {
  return JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4));
}

/** A connected socket kept open (for connection-limit tests). */
export function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}
