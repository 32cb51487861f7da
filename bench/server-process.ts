/**
 * Starts a benchmarked server as a child process and talks to it over IPC (bench/protocol.ts):
 * tollgate through bench/server.ts, which this file transpiles to plain JS in a temp dir so
 * the child's memory is the app's, not the TypeScript compiler's; the peer through
 * bench/peer.ts, which hands over its own plain JS entry point.
 */
import { ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import type { MemoryMessage, ParentMessage, ReadyMessage, ServerMessage } from './protocol';

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export interface ServerProcess {
  readonly ready: ReadyMessage;
  readonly pid: number;
  memory(): Promise<MemoryMessage>;
  /** CPU time the server has used so far, in microseconds (user + system). */
  cpuMicros(): Promise<number>;
  /** SIGTERM (Nest shutdown hooks close Redis), SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
}

function transpileServer(dir: string): string {
  const source = readFileSync(join(__dirname, 'server.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(dir, 'server.js');
  writeFileSync(file, outputText);
  return file;
}

function nextMessage<T extends ServerMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error(`no '${type}' from the server`)), timeoutMs);
    const onMessage = (message: ServerMessage) => {
      if (message.type === type) settle(undefined, message as Extract<ServerMessage, { type: T }>);
    };
    const onExit = (code: number | null) => settle(new Error(`server exited (code ${code})`));
    function settle(err?: Error, message?: Extract<ServerMessage, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit);
      if (err) reject(err);
      else resolve(message as Extract<ServerMessage, { type: T }>);
    }
    child.on('message', onMessage).on('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * An idempotent stop for a child server: SIGTERM (Nest shutdown hooks close Redis), SIGKILL
 * after `graceMs`; `cleanup` runs once the child has exited.
 */
export function childStopper(
  child: ChildProcess,
  graceMs: number,
  cleanup: () => void = () => undefined,
): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
      cleanup();
    })());
}

/** Forks tollgate's bench/server.ts with `env` over the parent's environment; waits for 'ready'. */
export async function startServer(
  distDir: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  if (!existsSync(join(distDir, 'bootstrap.js'))) {
    throw new Error(`${distDir}/bootstrap.js not found: run \`npm run bench\` (it builds first)`);
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'tollgate-bench-'));
  return forkServer(transpileServer(tmp), { ...env, BENCH_DIST_DIR: distDir }, () =>
    rmSync(tmp, { recursive: true, force: true }),
  );
}

/**
 * Forks a plain JS server speaking bench/protocol.ts and waits for its 'ready'. `cleanup`
 * runs once the child has exited.
 */
export async function forkServer(
  script: string,
  env: Record<string, string>,
  cleanup: () => void = () => undefined,
): Promise<ServerProcess> {
  const child = fork(script, [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // --expose-gc only for the memory report; e.g. BENCH_NODE_ARGS='--cpu-prof
    // --cpu-prof-dir=/tmp/prof' profiles the servers.
    execArgv: ['--expose-gc', ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)],
  });
  const stop = childStopper(child, STOP_GRACE_MS, cleanup);
  try {
    const ready = await nextMessage(child, 'ready', START_TIMEOUT_MS);
    const ask = <T extends ParentMessage['type']>(type: T) => {
      const reply = nextMessage(child, type, 5_000);
      child.send({ type } satisfies ParentMessage);
      return reply;
    };
    const memory = () => ask('memory');
    const cpuMicros = async () => {
      const { user, system } = await ask('cpu');
      return user + system;
    };
    return { ready, pid: child.pid ?? 0, memory, cpuMicros, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
