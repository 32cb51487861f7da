/**
 * Starts bench/server.ts as a child process and talks to it over IPC. The child runs plain
 * JS (this file transpiles server.ts into a temp dir) so its memory is the app's, not the
 * TypeScript compiler's.
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

/** Forks the server with `env` over the parent's environment and waits for its 'ready'. */
export async function startServer(
  distDir: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  if (!existsSync(join(distDir, 'bootstrap.js'))) {
    throw new Error(`${distDir}/bootstrap.js not found: run \`npm run bench\` (it builds first)`);
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'tollgate-bench-'));
  const child = fork(transpileServer(tmp), [], {
    env: { ...process.env, ...env, BENCH_DIST_DIR: distDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // --expose-gc only for the memory report; e.g. BENCH_NODE_ARGS='--cpu-prof
    // --cpu-prof-dir=/tmp/prof' profiles the server.
    execArgv: ['--expose-gc', ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)],
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited(child);
      clearTimeout(timer);
      rmSync(tmp, { recursive: true, force: true });
    })());
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
