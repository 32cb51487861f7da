/**
 * Raw HTTP/1.1 for the attack suites: requests written byte for byte on a socket (what fetch
 * would refuse or normalise) and the answer read as the bytes the server sent, so a split
 * header or a second response would be seen, not hidden by a client's parser.
 */
import { RawAnswer, rawExchange } from '../platform/raw-http';

export interface ParsedAnswer {
  readonly status: number | undefined;
  /** The header block, lines as sent (no status line). */
  readonly headerLines: readonly string[];
  readonly body: string;
  /** All values of a header, by lower-case name. */
  header(name: string): string[];
}

/** Splits a raw answer into status, header lines and body (at the first blank line). */
export function parseAnswer(answer: RawAnswer): ParsedAnswer {
  const end = answer.text.indexOf('\r\n\r\n');
  const head = end < 0 ? answer.text : answer.text.slice(0, end);
  const [, ...headerLines] = head.split('\r\n');
  return {
    status: answer.status,
    headerLines,
    body: end < 0 ? '' : answer.text.slice(end + 4),
    header: (name) =>
      headerLines
        .filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === name)
        .map((l) => l.slice(l.indexOf(':') + 1).trim()),
  };
}

/** A GET with `Connection: close`, the answer as sent. */
export async function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<ParsedAnswer> {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  return parseAnswer(
    await rawExchange(
      base,
      `GET ${path} HTTP/1.1\r\nHost: x\r\n${lines.join('')}Connection: close\r\n\r\n`,
    ),
  );
}

/** A form POST (`body` already urlencoded) with `Connection: close`, the answer as sent. */
export function rawPost(
  base: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<ParsedAnswer> {
  return rawSend(base, 'POST', path, body, {
    'Content-Type': 'application/x-www-form-urlencoded',
    ...headers,
  });
}

/** Any method with a body and `Connection: close`, the answer as sent. */
export async function rawSend(
  base: string,
  method: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<ParsedAnswer> {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  const length = Buffer.byteLength(body);
  return parseAnswer(
    await rawExchange(
      base,
      `${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n` +
        `${lines.join('')}Connection: close\r\n\r\n${body}`,
    ),
  );
}

/** Header names an injection would add; none of them is ever sent by the server. */
const INJECTED = /^(x-injected|set-cookie:\s*injected|location:\s*https?:\/\/evil)/i;

/**
 * The answer was not split: one status line, every header line well formed (a name, a colon,
 * no lone CR or LF anywhere in the head), no injected header, no second response in the
 * body, and never a 500.
 */
export function expectUnsplit(answer: ParsedAnswer): void {
  expect(answer.status).toBeDefined();
  expect(answer.status).not.toBe(500);
  for (const line of answer.headerLines) {
    expect(line).toMatch(/^[A-Za-z0-9-]+: [^\r\n]*$/);
    expect(line).not.toMatch(INJECTED);
  }
  expect(answer.header('location').length).toBeLessThanOrEqual(1);
  // Framing intact: the body is exactly Content-Length bytes, so no second response follows.
  const [length] = answer.header('content-length');
  expect(Buffer.byteLength(answer.body)).toBe(Number(length ?? 0));
}
