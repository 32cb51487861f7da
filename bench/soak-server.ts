/**
 * tollgate for the soak (bench/soak.ts) as production runs it: `node dist/main.js` in its own
 * process, configured only through its environment, so the RSS sampled from /proc/PID/status
 * is the server's alone (no harness, load generator or TypeScript compiler in it). Its logs
 * go to a file; /metrics is on its own management port, as in production.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childStopper } from './server-process';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface SoakServer {
  readonly pid: number;
  /** `http://127.0.0.1:PORT`: the OAuth2, cache and admin routes. */
  readonly base: string;
  /** `http://127.0.0.1:MANAGEMENT_PORT`: /metrics. */
  readonly management: string;
  /** VmRSS of the server process, in bytes (0 once it has exited). */
  rssBytes(): number;
  /** The server's own Prometheus metrics (prom-client default metrics included). */
  metrics(): Promise<Map<string, number>>;
  /** SIGTERM (Nest closes Redis and the workers), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export interface SoakServerOptions {
  readonly distDir: string;
  readonly port: number;
  readonly managementPort: number;
  readonly env: Record<string, string>;
  /** Where the server's stdout and stderr go. */
  readonly logFile: string;
}

/** Unlabelled samples of a Prometheus text exposition (`name value` lines). */
export function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)$/.exec(line);
    if (match) values.set(match[1], Number(match[2]));
  }
  return values;
}

function readRss(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tollgate exited (code ${child.exitCode})`);
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`tollgate not ready after ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts `node <distDir>/main.js` and waits until /health/ready answers 200. */
export async function startSoakServer(options: SoakServerOptions): Promise<SoakServer> {
  const main = join(options.distDir, 'main.js');
  if (!existsSync(main))
    throw new Error(`${main} not found: run \`npm run soak\` (it builds first)`);
  const log = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(options.port),
      MANAGEMENT_HOST: '127.0.0.1',
      MANAGEMENT_PORT: String(options.managementPort),
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const base = `http://127.0.0.1:${options.port}`;
  const management = `http://127.0.0.1:${options.managementPort}`;
  const stop = childStopper(child, STOP_GRACE_MS);
  // Never outlive the harness, whatever ends it.
  process.once('exit', () => child.kill('SIGKILL'));
  try {
    await waitReady(base, child);
  } catch (err) {
    await stop();
    throw err;
  }
  const pid = child.pid ?? 0;
  return {
    pid,
    base,
    management,
    rssBytes: () => readRss(pid),
    metrics: async () => parseMetrics(await (await fetch(`${management}/metrics`)).text()),
    stop,
  };
}
