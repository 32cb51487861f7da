/**
 * The results of a run: the summary object (written as bench/results/latest.json), its
 * markdown tables (printed, and written into docs/performance.md), the tollgate/peer and
 * tollgate/ceiling ratios, and the targets of the lead's issue checked as PASS/FAIL.
 */
import type { Cell } from './measure';
import type { MemoryMessage } from './protocol';
import type { RouteName, ServerName, Settings } from './settings';

export interface RedisFootprint {
  /** Keys per database: tollgate uses DB 0 (auth) and 1 (cache), the peer DB 2. */
  readonly keys: Record<string, number>;
  readonly usedMemoryBytes: number;
  readonly version: string;
}

export interface BenchSummary {
  /** Shorter than the default duration: checks the harness, measures nothing. */
  readonly smoke: boolean;
  readonly label: string;
  readonly startedAt: string;
  readonly machine: { cpus: number; cpuModel: string; node: string; redis: string };
  readonly versions: Record<ServerName, string>;
  readonly settings: Settings;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly cells: Cell[];
  readonly serverMemory: Partial<Record<ServerName, Omit<MemoryMessage, 'type'>>>;
  readonly redis: RedisFootprint;
}

/** The connections at which the targets are judged. */
export const TARGET_CONNECTIONS = 16;

export interface TargetResult {
  readonly target: string;
  readonly goal: string;
  readonly measured: string;
  /** undefined: a cell it needs was not run. */
  readonly pass: boolean | undefined;
}

const find = (cells: Cell[], server: ServerName, route: RouteName, connections: number) =>
  cells.find((c) => c.server === server && c.route === route && c.connections === connections);

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (n: number): string => `${(100 * n).toFixed(1)} %`;
const times = (n: number): string => `${n.toFixed(2)}x`;

function markdownTable(header: string[], rows: string[][], leftColumns = 1): string {
  const align = header.map((_, i) => (i < leftColumns ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const ROUTE_LABELS: Partial<Record<RouteName, string>> = {
  hello: 'ceiling: bare Fastify route',
  nest: 'Nest route, no Redis',
  // Its "requests" are round trips of two requests (bench/authorize-route.ts).
  authorize: 'authorize + token (round trip)',
};

const routeLabel = (cell: Cell): string => ROUTE_LABELS[cell.route] ?? cell.route;

export function cellsTable(cells: Cell[]): string {
  const header = [
    'route',
    'conns',
    'server',
    'req/s',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'errors',
    'µs CPU/req',
    'Redis cmds sent/req',
    'Redis round trips/req',
    'Redis cmds executed/req',
    'server CPU',
    'steal',
  ];
  const rows = cells.map((c) => [
    routeLabel(c),
    String(c.connections),
    c.server,
    int(c.requestsPerSecond),
    ms(c.latencyMs.p50),
    ms(c.latencyMs.p99),
    ms(c.latencyMs.p99_9),
    String(c.non2xx + c.socketErrors),
    int(c.serverCpuMicrosPerRequest),
    c.redisSentPerRequest.toFixed(1),
    (c.redisRoundTripsPerRequest ?? Number.NaN).toFixed(1),
    c.redisExecutedPerRequest.toFixed(1),
    c.cpu.server.toFixed(2),
    Number.isNaN(c.cpu.steal) ? '-' : c.cpu.steal.toFixed(2),
  ]);
  return markdownTable(header, rows, 3);
}

/** tollgate against the peer and both against the ceiling, per route and connections. */
export function ratiosTable(cells: Cell[]): string {
  const rows: string[][] = [];
  const oauth = (c: Cell): boolean => c.route !== 'hello' && c.route !== 'nest';
  for (const c of cells.filter((c) => c.server === 'tollgate' && oauth(c))) {
    const peer = find(cells, 'oidc-provider', c.route, c.connections);
    const ceiling = find(cells, 'tollgate', 'hello', c.connections);
    const of = (a: Cell | undefined, b: Cell | undefined, f: (n: number) => string): string =>
      a && b && b.requestsPerSecond > 0 ? f(a.requestsPerSecond / b.requestsPerSecond) : '-';
    rows.push([
      routeLabel(c),
      String(c.connections),
      of(c, peer, times),
      of(c, ceiling, pct),
      of(peer, ceiling, pct),
      peer ? `${ms(c.latencyMs.p99)} / ${ms(peer.latencyMs.p99)}` : '-',
      peer ? `${int(c.serverCpuMicrosPerRequest)} / ${int(peer.serverCpuMicrosPerRequest)}` : '-',
    ]);
  }
  const header = [
    'route',
    'conns',
    'tollgate / peer req/s',
    'tollgate / ceiling',
    'peer / ceiling',
    'p99 ms tollgate / peer',
    'µs CPU/req tollgate / peer',
  ];
  return markdownTable(header, rows, 2);
}

function ratioTarget(cells: Cell[], route: RouteName, goal: number): TargetResult {
  const [t, p] = [find(cells, 'tollgate', route, 16), find(cells, 'oidc-provider', route, 16)];
  const ratio =
    t && p && p.requestsPerSecond > 0 ? t.requestsPerSecond / p.requestsPerSecond : undefined;
  return {
    target: `${route} req/s, tollgate / peer`,
    goal: `>= ${times(goal)}`,
    measured: ratio === undefined ? 'not run' : times(ratio),
    pass: ratio === undefined ? undefined : ratio >= goal,
  };
}

function p99Target(cells: Cell[], route: RouteName): TargetResult {
  const [t, p] = [find(cells, 'tollgate', route, 16), find(cells, 'oidc-provider', route, 16)];
  return {
    target: `${route} p99, tollgate vs peer`,
    goal: 'tollgate <= peer',
    measured: t && p ? `${ms(t.latencyMs.p99)} ms vs ${ms(p.latencyMs.p99)} ms` : 'not run',
    pass: t && p ? t.latencyMs.p99 <= p.latencyMs.p99 : undefined,
  };
}

function ceilingTarget(cells: Cell[], route: RouteName, goal: number): TargetResult {
  const [t, h] = [find(cells, 'tollgate', route, 16), find(cells, 'tollgate', 'hello', 16)];
  const share =
    t && h && h.requestsPerSecond > 0 ? t.requestsPerSecond / h.requestsPerSecond : undefined;
  return {
    target: `stretch: ${route} req/s, tollgate / ceiling`,
    goal: `>= ${pct(goal)}`,
    measured: share === undefined ? 'not run' : pct(share),
    pass: share === undefined ? undefined : share >= goal,
  };
}

/** The targets of the issue, all at 16 connections in the same run. */
export function targets(cells: Cell[]): TargetResult[] {
  return [
    ratioTarget(cells, 'token', 1.5),
    ratioTarget(cells, 'introspect', 2),
    p99Target(cells, 'token'),
    p99Target(cells, 'introspect'),
    ceilingTarget(cells, 'token', 0.4),
    ceilingTarget(cells, 'introspect', 0.5),
  ];
}

const verdict = (pass: boolean | undefined): string =>
  pass === undefined ? 'n/a' : pass ? 'PASS' : 'FAIL';

export function targetsTable(results: TargetResult[]): string {
  const rows = results.map((r) => [r.target, r.goal, r.measured, verdict(r.pass)]);
  return markdownTable(['target (16 connections)', 'goal', 'measured', 'result'], rows, 4);
}

/** Per server and route, the commands behind the Redis columns (at the first cell run). */
export function redisBreakdown(cells: Cell[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  const list = (calls: Record<string, number>): string =>
    Object.entries(calls)
      .map(([cmd, n]) => `${cmd.toUpperCase()} ${n.toFixed(2)}`)
      .join(', ') || '-';
  for (const c of cells.filter((c) => c.redisSentPerRequest + c.redisExecutedPerRequest > 0)) {
    const key = `${c.server} ${c.route}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`- ${key}: sent ${list(c.redisSent)}; executed ${list(c.redisExecuted)}`);
  }
  return lines;
}
