/** Formats the benchmark results: a plain-text table for people, one JSON line for tools. */
import type autocannon from 'autocannon';
import type { CpuShare } from './cpu';

export interface RunResult {
  readonly name: string;
  readonly route: string;
  readonly result: autocannon.Result;
  readonly cpu: CpuShare;
  /** Calls per request of each Redis command on the master (Lua's redis.call included). */
  readonly redisCalls: Record<string, number>;
}

export interface RedisFootprint {
  readonly keysDb0: number;
  readonly keysDb1: number;
  readonly usedMemoryBytes: number;
  readonly version: string;
}

export interface BenchSummary {
  readonly machine: { cpus: number; cpuModel: string; node: string; redis: string };
  readonly settings: { durationSeconds: number; warmupSeconds: number; connections: number };
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly runs: RunResult[];
  readonly serverMemory: { rss: number; peakRss: number; heapUsed: number; liveHeap: number };
  readonly redis: RedisFootprint;
}

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;
const load = (avg: number[]): string => avg.map((n) => n.toFixed(2)).join(' ');

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

const cores = (n: number): string => n.toFixed(2);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** One line per route that used Redis: which commands, how often per request. */
function redisBreakdown(runs: RunResult[]): string[] {
  return runs
    .filter((r) => sum(Object.values(r.redisCalls)) >= 0.5)
    .map(({ route, redisCalls }) => {
      const calls = Object.entries(redisCalls).map(([cmd, n]) => `${cmd} ${n.toFixed(2)}`);
      return `  ${route}: ${calls.join(', ')}`;
    });
}

/** Server CPU microseconds per request: steadier than req/s when the machine is shared. */
function cpuPerRequest(cpu: CpuShare, result: autocannon.Result): number {
  return result.requests.mean > 0 ? (cpu.server * 1e6) / result.requests.mean : 0;
}

function table(runs: RunResult[]): string {
  const hello = runs.find((r) => r.name === 'hello')?.result.requests.mean ?? 0;
  const header = [
    'route',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'vs hello',
    'redis cmds/req',
    'server CPU',
    'µs CPU/req',
    'autocannon CPU',
    'other CPU',
    'steal',
  ];
  const rows = runs.map(({ route, result, cpu, redisCalls }) => [
    route,
    result.requests.mean.toFixed(0),
    String(result.latency.p50),
    String(result.latency.p99),
    String(result.non2xx),
    String(result.errors + result.timeouts),
    hello > 0 ? `${((100 * result.requests.mean) / hello).toFixed(1)} %` : '-',
    sum(Object.values(redisCalls)).toFixed(1),
    cores(cpu.server),
    cpuPerRequest(cpu, result).toFixed(0),
    cores(cpu.loadGenerator),
    cores(cpu.other),
    Number.isNaN(cpu.steal) ? '-' : cores(cpu.steal),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((cells) => pad(cells, widths)).join('\n');
}

export function formatSummary(s: BenchSummary): string {
  const { machine, settings } = s;
  return [
    `machine: ${machine.cpus} x ${machine.cpuModel}, Node ${machine.node}, Redis ${machine.redis}`,
    `settings: ${settings.connections} connections, pipelining 1, ` +
      `${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per route`,
    `load average (1/5/15 min): before ${load(s.loadBefore)}, after ${load(s.loadAfter)}`,
    '',
    table(s.runs),
    'redis commands per request on the master (commands run by Lua scripts included):',
    ...redisBreakdown(s.runs),
    '(CPU in cores, 1.00 = one core for the whole run. µs CPU/req: server CPU time per request.',
    ' other: Redis nodes, kernel networking and anything else on the machine. steal: vCPU time',
    ' the hypervisor gave to other guests.)',
    '',
    `server memory after the runs: RSS ${mib(s.serverMemory.rss)} ` +
      `(peak ${mib(s.serverMemory.peakRss)}), heap used ${mib(s.serverMemory.heapUsed)}, ` +
      `live heap after GC ${mib(s.serverMemory.liveHeap)}`,
    `redis master after the runs: ${s.redis.keysDb0} keys in DB 0, ${s.redis.keysDb1} in DB 1, ` +
      `used memory ${mib(s.redis.usedMemoryBytes)}`,
  ].join('\n');
}

/** The numbers only (no histograms), for pasting or diffing between runs. */
export function summaryJson(s: BenchSummary): string {
  return JSON.stringify({
    ...s,
    runs: s.runs.map(({ name, route, result, cpu, redisCalls }) => ({
      name,
      route,
      requestsPerSecond: result.requests.mean,
      total: result.requests.total,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99 },
      redisCalls,
      cpuCores: cpu,
      serverCpuMicrosPerRequest: cpuPerRequest(cpu, result),
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(
        Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
      ),
    })),
  });
}
