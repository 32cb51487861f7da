/**
 * Slow and idle clients against the main listener, with short timeouts: headers dribbled a
 * byte at a time (slowloris), a body dribbled past HTTP_REQUEST_TIMEOUT_MS, a declared body
 * never sent, hundreds of idle connections and an idle keep-alive connection. Each is closed
 * by the server well before a few multiples of its timeout (the bound asserted is loose on
 * purpose, the measured times are printed), and a normal request is answered meanwhile.
 * Half-sent bodies and the connection limit are in platform/http-hardening.spec.ts.
 */
import { connect, Socket } from 'node:net';
import { ManagementServer } from '../../../src/management/management-server';
import { useTopology } from '../../support/redis-topology';
import { RunningApp, startApp } from '../../support/test-app';

const REQUEST_TIMEOUT_MS = 1000;
const HEADERS_TIMEOUT_MS = 500;
const CONNECTION_TIMEOUT_MS = 1500;
const KEEP_ALIVE_TIMEOUT_MS = 500;
/** "Closed before N x timeout": far above what is measured, far below "never". */
const BOUND = 8;

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let management: string;

beforeAll(async () => {
  running = await startApp({
    ...topology().env(),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    HTTP_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    HTTP_MAX_CONNECTIONS: '2000',
    MANAGEMENT_PORT: '0',
    MANAGEMENT_HOST: '127.0.0.1',
  });
  management = `http://127.0.0.1:${running.app.get(ManagementServer).address()?.port}`;
});
afterAll(() => running?.close());

interface Closed {
  readonly closedAfterMs: number;
  readonly text: string;
  readonly bytesDribbled: number;
}

/**
 * Connects, writes `head`, then one byte of `drip` every `everyMs` (forever, cycling) until the
 * server closes the connection; rejects if it is still open after `waitMs`.
 */
function dribble(head: string, drip: string, everyMs: number, waitMs: number): Promise<Closed> {
  const { hostname, port } = new URL(running.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const started = Date.now();
    let sent = 0;
    let ticker: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      clearInterval(ticker);
      socket.destroy();
      reject(new Error(`still open after ${waitMs} ms (${sent} bytes dribbled)`));
    }, waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset is a close too
    socket.on('close', () => {
      clearTimeout(timer);
      clearInterval(ticker);
      resolve({
        closedAfterMs: Date.now() - started,
        text: Buffer.concat(chunks).toString('utf8'),
        bytesDribbled: sent,
      });
    });
    socket.on('connect', () => {
      socket.write(head);
      if (drip === '') return;
      ticker = setInterval(() => {
        if (socket.destroyed || socket.writableEnded) return;
        socket.write(drip[sent % drip.length]);
        sent += 1;
      }, everyMs);
    });
  });
}

interface Idle {
  readonly socket: Socket;
  /** Milliseconds from connect to the server's close. */
  readonly closed: Promise<number>;
  /** What the server wrote before closing. */
  readonly received: () => string;
}

function openIdle(base = running.url): Promise<Idle> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const closed = new Promise<number>((done) =>
      socket.on('close', () => done(Date.now() - started)),
    );
    socket.on('error', () => undefined);
    // Read what arrives: a socket nobody reads never sees the server's 408 and FIN, and
    // looks open forever (this first passed for a server that never closed silent connections).
    socket.on('data', (chunk) => chunks.push(chunk));
    const received = () => Buffer.concat(chunks).toString('utf8');
    socket.once('connect', () => resolve({ socket, closed, received }));
    socket.once('error', reject);
  });
}

async function healthyMeanwhile(): Promise<void> {
  const res = await fetch(`${running.url}/health/live`);
  expect(res.status).toBe(200);
}

const statusOf = (text: string) => /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];

it('closes a slowloris connection (headers a byte every 100 ms) by the headers timeout', async () => {
  const pending = dribble(
    'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ',
    'abcdef',
    100,
    BOUND * REQUEST_TIMEOUT_MS,
  );
  await healthyMeanwhile();
  const closed = await pending;
  console.log(
    `slowloris closed after ${closed.closedAfterMs} ms, ${closed.bytesDribbled} bytes dribbled`,
  );
  expect(closed.bytesDribbled).toBeGreaterThan(0);
  expect(['408', undefined]).toContain(statusOf(closed.text));
});

it('closes a body dribbled a byte every 100 ms with 408 by the request timeout', async () => {
  const head =
    'POST /oauth2/token HTTP/1.1\r\nHost: x\r\n' +
    'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n';
  const pending = dribble(head, 'a', 100, BOUND * REQUEST_TIMEOUT_MS);
  await healthyMeanwhile();
  const closed = await pending;
  console.log(
    `slow body closed after ${closed.closedAfterMs} ms, ${closed.bytesDribbled} bytes dribbled`,
  );
  expect(closed.bytesDribbled).toBeGreaterThan(0);
  expect(statusOf(closed.text)).toBe('408');
});

it('closes a request whose declared body never comes', async () => {
  const head =
    'POST /oauth2/token HTTP/1.1\r\nHost: x\r\n' +
    'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\n';
  const pending = dribble(head, '', 0, BOUND * REQUEST_TIMEOUT_MS);
  await healthyMeanwhile();
  const closed = await pending;
  console.log(`unsent body closed after ${closed.closedAfterMs} ms`);
  expect(statusOf(closed.text)).toBe('408');
});

it('closes 500 connections that never send a byte with 408, answering others meanwhile', async () => {
  const idle = await Promise.all(Array.from({ length: 500 }, () => openIdle()));
  try {
    await healthyMeanwhile();
    const deadline = new Promise<'open'>((r) =>
      setTimeout(() => r('open'), BOUND * CONNECTION_TIMEOUT_MS),
    );
    const times = await Promise.all(idle.map((c) => Promise.race([c.closed, deadline])));
    const stillOpen = times.filter((t) => t === 'open').length;
    const closedTimes = times.filter((t): t is number => t !== 'open').sort((a, b) => a - b);
    console.log(
      `500 idle connections: ${closedTimes.length} closed by the server ` +
        `(median ${closedTimes[closedTimes.length >> 1]} ms, last ${closedTimes.at(-1)} ms), ${stillOpen} still open`,
    );
    expect(stillOpen).toBe(0);
    // Node answers them 408 at the headers timeout, like a slowloris.
    expect(new Set(idle.map((c) => statusOf(c.received())))).toEqual(new Set(['408']));
  } finally {
    idle.forEach((c) => c.socket.destroy());
  }
  await healthyMeanwhile();
});

it("closes an idle keep-alive connection after the keep-alive timeout (plus Node's buffer)", async () => {
  const closed = await dribble(
    'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n',
    '',
    0,
    BOUND * Math.max(KEEP_ALIVE_TIMEOUT_MS, CONNECTION_TIMEOUT_MS),
  );
  console.log(`idle keep-alive closed after ${closed.closedAfterMs} ms`);
  expect(statusOf(closed.text)).toBe('200');
});

it('answers normal requests while 50 slow bodies are being dribbled', async () => {
  const head =
    'POST /oauth2/token HTTP/1.1\r\nHost: x\r\n' +
    'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n';
  const slow = Array.from({ length: 50 }, () => dribble(head, 'a', 50, BOUND * REQUEST_TIMEOUT_MS));
  for (let i = 0; i < 5; i += 1) await healthyMeanwhile();
  const closed = await Promise.all(slow);
  console.log(
    `50 slow bodies closed after ${Math.min(...closed.map((c) => c.closedAfterMs))}-` +
      `${Math.max(...closed.map((c) => c.closedAfterMs))} ms`,
  );
  expect(closed.every((c) => statusOf(c.text) === '408')).toBe(true);
});

it('closes silent connections on the management listener too', async () => {
  const idle = await Promise.all(Array.from({ length: 50 }, () => openIdle(management)));
  try {
    expect((await fetch(`${management}/metrics`)).status).toBe(200);
    const deadline = new Promise<'open'>((r) =>
      setTimeout(() => r('open'), BOUND * HEADERS_TIMEOUT_MS),
    );
    const times = await Promise.all(idle.map((c) => Promise.race([c.closed, deadline])));
    console.log(`management listener: ${times.filter((t) => t !== 'open').length} of 50 closed`);
    expect(times.filter((t) => t === 'open')).toEqual([]);
    expect(new Set(idle.map((c) => statusOf(c.received())))).toEqual(new Set(['408']));
  } finally {
    idle.forEach((c) => c.socket.destroy());
  }
});
