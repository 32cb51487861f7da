/** The benchmark's settings, read once from the environment (see docs/performance.md). */

export type ServerName = 'tollgate' | 'oidc-provider';
export type RouteName =
  'hello' | 'nest' | 'token' | 'introspect' | 'revoke' | 'cache-get' | 'cache-put' | 'authorize';

export const SERVER_NAMES: readonly ServerName[] = ['tollgate', 'oidc-provider'];
export const ROUTE_NAMES: readonly RouteName[] = [
  'hello',
  'nest',
  'token',
  'introspect',
  'revoke',
  'cache-get',
  'cache-put',
  'authorize',
];
/** `nest` (a Nest controller route of tollgate without Redis) only when asked for. */
const DEFAULT_ROUTES: readonly RouteName[] = ROUTE_NAMES.filter((route) => route !== 'nest');

export interface Settings {
  /** Measured seconds per cell (BENCH_DURATION, default 10). */
  readonly durationSeconds: number;
  /** Unmeasured seconds before each cell (BENCH_WARMUP, default 2). */
  readonly warmupSeconds: number;
  /** Concurrent connections, one cell each (BENCH_CONNECTIONS, default "1,16,64"). */
  readonly connections: readonly number[];
  /** BENCH_SERVERS, default both. */
  readonly servers: readonly ServerName[];
  /** BENCH_ROUTES, default all but `nest`; `hello` (the ceiling), `nest`, the service
   * cache routes `cache-get` and `cache-put` and the `authorize` round trip run on tollgate
   * only. */
  readonly routes: readonly RouteName[];
  /** BENCH_PEER_AUTO_PIPELINING: ioredis auto-pipelining in the peer's adapter (default off,
   * as in its example adapter). */
  readonly peerAutoPipelining: boolean;
  /** BENCH_WRITE (default on): write bench/results/latest.json and docs/performance.md. */
  readonly write: boolean;
  /** BENCH_LABEL: free text stored with the results (machine, purpose). */
  readonly label: string;
}

function positiveInt(raw: string, name: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}: ${raw} is no positive integer`);
  return value;
}

function list<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: readonly T[] = allowed,
): readonly T[] {
  const raw = env[name];
  if (!raw) return fallback;
  const items = raw.split(',').map((s) => s.trim());
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')}`);
  return allowed.filter((item) => items.includes(item));
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const int = (name: string, fallback: number): number =>
    env[name] ? positiveInt(String(env[name]), name) : fallback;
  const connections = (env.BENCH_CONNECTIONS ?? '1,16,64')
    .split(',')
    .map((c) => positiveInt(c.trim(), 'BENCH_CONNECTIONS'));
  return {
    durationSeconds: int('BENCH_DURATION', 10),
    warmupSeconds: int('BENCH_WARMUP', 2),
    connections,
    servers: list(env, 'BENCH_SERVERS', SERVER_NAMES),
    routes: list(env, 'BENCH_ROUTES', ROUTE_NAMES, DEFAULT_ROUTES),
    peerAutoPipelining: flag(env, 'BENCH_PEER_AUTO_PIPELINING', false),
    write: flag(env, 'BENCH_WRITE', true),
    label: env.BENCH_LABEL ?? '',
  };
}

/** Runs shorter than the default are for checking the harness, not for reading numbers. */
export function isSmokeRun(settings: Settings): boolean {
  return settings.durationSeconds < 10;
}
