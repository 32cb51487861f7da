/**
 * One redis-server child process of a local topology. Processes are addressed by PID and
 * loopback port, never through a Redis connection, so a frozen or half-dead node can still be
 * killed. Each node owns a directory (config, dump file, logs): a shared or stale dump.rdb was
 * seen to leak data between nodes, and Sentinel rewrites its config file, so it must be ours.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import Redis from 'ioredis';

export const LOOPBACK = '127.0.0.1';
const REDIS_SERVER_BIN = process.env.TOLLGATE_REDIS_SERVER ?? '/usr/bin/redis-server';
/** util-linux setpriv execs redis-server (same PID) with PR_SET_PDEATHSIG, so the kernel kills it
 * when this process dies in any way, SIGKILL included; a process 'exit' hook cannot cover that,
 * and inside jest it never runs (test code gets a sandboxed copy of `process`). */
const SETPRIV_BIN = '/usr/bin/setpriv';
const POLL_INTERVAL_MS = 50;

export type NodeRole = 'data' | 'sentinel';

export interface NodeAddress {
  host: string;
  port: number;
}

/** How the harness itself reaches a node: TLS (trusting `ca`) and an ACL user, when set. */
export interface NodeAccess {
  readonly tls?: { readonly ca: Buffer };
  readonly username?: string;
  readonly password?: string;
}

export interface RedisProcessHandle {
  readonly port: number;
  /** PID of the current incarnation; changes after a restart. */
  readonly pid: number | undefined;
  readonly role: NodeRole;
  alive(): boolean;
}

/** Thrown by a poll probe to stop polling at once (e.g. the awaited node died). */
export class PollAbortedError extends Error {}
/** Another process took the port between the free-port probe and redis-server's bind. */
export class PortInUseError extends PollAbortedError {}

/** `count` distinct free loopback ports: every probe listener stays open until all are read. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, LOOPBACK, resolve);
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value; its errors mean "not yet" unless PollAbortedError.
 * Failures carry `context()` (typically log tails). */
export async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  context: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result !== undefined) return result;
    } catch (err) {
      if (err instanceof PollAbortedError) {
        err.message = `${err.message}\n${context()}`;
        throw err;
      }
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last}\n${context()}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Runs `fn` with a short-lived, non-retrying client and always disconnects it. */
export async function withClient<T>(
  port: number,
  fn: (client: Redis) => Promise<T>,
  timeoutMs = 1000,
  access: NodeAccess = {},
): Promise<T> {
  const client = new Redis({
    host: LOOPBACK,
    port,
    ...access,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    // ioredis keeps a timer this long after disconnect(); its 2 s default outlives a test.
    disconnectTimeout: 100,
  });
  // Failures surface through the awaited promises; this only silences ioredis's 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

/** Parses INFO output into field → value. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return `(${file} does not exist)`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export class RedisNodeProcess implements RedisProcessHandle {
  readonly configPath: string;
  readonly logPath: string;
  private readonly stdoutPath: string;
  private child: ChildProcess | undefined;
  private running = false;
  private exited: Promise<void> = Promise.resolve();
  private paused = false;
  private exitReason = 'not started';

  /** Writes the config file once; restarts reuse it, including Sentinel's rewrites. With
   * `access.tls`, `port` is the TLS port and the plain port is off (`port 0`). */
  constructor(
    readonly role: NodeRole,
    readonly port: number,
    readonly dir: string,
    roleConfig: string[],
    readonly access: NodeAccess = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.configPath = path.join(dir, role === 'sentinel' ? 'sentinel.conf' : 'redis.conf');
    this.logPath = path.join(dir, 'node.log');
    this.stdoutPath = path.join(dir, 'stdout.log');
    const ports = access.tls ? ['port 0', `tls-port ${port}`] : [`port ${port}`];
    const common = [...ports, `bind ${LOOPBACK}`, 'daemonize no', `dir "${dir}"`];
    const config = [...common, `logfile "${this.logPath}"`, ...roleConfig, ''];
    writeFileSync(this.configPath, config.join('\n'), { mode: 0o600 });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get address(): NodeAddress {
    return { host: LOOPBACK, port: this.port };
  }

  alive(): boolean {
    return this.running;
  }

  /** Spawns redis-server; stdout/stderr go to a file because startup errors precede the log.
   * The child is unref'd: a leaked node must not keep the parent alive (jest would hang and
   * never fire the 'exit' hook that kills it). */
  start(): void {
    if (this.running) throw new Error(`${this.describe()} is already running`);
    const out = openSync(this.stdoutPath, 'a');
    try {
      const args = this.role === 'sentinel' ? [this.configPath, '--sentinel'] : [this.configPath];
      const [bin, argv] = existsSync(SETPRIV_BIN)
        ? [SETPRIV_BIN, ['--pdeathsig', 'SIGKILL', '--', REDIS_SERVER_BIN, ...args]]
        : [REDIS_SERVER_BIN, args];
      const child = spawn(bin, argv, { stdio: ['ignore', out, out] });
      child.unref();
      this.child = child;
      this.running = child.pid !== undefined;
      this.paused = false;
      this.exited = new Promise((resolve) => {
        const done = (reason: string): void => {
          if (this.child === child) this.exitReason = reason;
          if (this.child === child) this.running = false;
          resolve();
        };
        child.once('exit', (code, sig) => done(`exited (code ${code}, signal ${sig})`));
        child.once('error', (err) => done(`failed to spawn ${REDIS_SERVER_BIN}: ${err.message}`));
      });
    } finally {
      closeSync(out);
    }
  }

  /** Waits until the node answers PING; fails fast (with the log tail) if it exits. */
  async waitReady(timeoutMs: number): Promise<void> {
    await pollUntil(
      `${this.describe()} to answer PING`,
      timeoutMs,
      async () => {
        if (!this.running) {
          const inUse = /Address already in use/i.test(this.logTail());
          throw new (inUse ? PortInUseError : PollAbortedError)(
            `${this.describe()} ${this.exitReason}`,
          );
        }
        return (await this.call((c) => c.ping())) === 'PONG' || undefined;
      },
      () => this.logTail(),
    );
  }

  /** Runs `fn` with a short-lived harness client of this node (its TLS and ACL user). */
  call<T>(fn: (client: Redis) => Promise<T>, timeoutMs = 1000): Promise<T> {
    return withClient(this.port, fn, timeoutMs, this.access);
  }

  /** Sends `signal` by PID and waits for the exit; escalates to SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
    if (!this.running) return;
    this.child?.ref(); // keep the event loop alive until the exit is observed
    this.signal(signal);
    // A stopped process only handles SIGTERM after SIGCONT (SIGKILL works regardless).
    if (this.paused) this.signal('SIGCONT');
    // The grace timer is cleared on exit so it cannot outlive the process (jest open handles).
    const grace = setTimeout(() => this.running && this.signal('SIGKILL'), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(grace);
    }
  }

  /** Last-resort synchronous kill, safe inside a process 'exit' handler. */
  killSync(): void {
    if (this.running) this.signal('SIGKILL');
  }

  /** SIGSTOP: the node keeps its sockets open but answers nothing, like a partition. */
  pause(): void {
    this.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    this.signal('SIGCONT');
    this.paused = false;
  }

  describe(): string {
    return `redis ${this.role} node ${LOOPBACK}:${this.port} (pid ${this.pid ?? '-'})`;
  }

  logTail(lines = 30): string {
    const logs = [`--- ${this.describe()}: ${this.logPath}`, tail(this.logPath, lines)];
    return [...logs, `--- ${this.stdoutPath}`, tail(this.stdoutPath, 10)].join('\n');
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.running || this.pid === undefined) {
      throw new Error(`${this.describe()} is not running`);
    }
    try {
      process.kill(this.pid, signal);
    } catch (err) {
      // ESRCH: it exited between the check and the kill, which is what we wanted anyway.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}
