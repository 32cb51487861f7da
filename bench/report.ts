/** Formats the benchmark results: a plain-text table for people, one JSON line for tools. */
import type autocannon from 'autocannon';

export interface RunResult {
  readonly name: string;
  readonly route: string;
  readonly result: autocannon.Result;
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
  readonly serverMemory: { rss: number; peakRss: number; heapUsed: number };
  readonly redis: RedisFootprint;
}

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;
const load = (avg: number[]): string => avg.map((n) => n.toFixed(2)).join(' ');

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

function table(runs: RunResult[]): string {
  const hello = runs.find((r) => r.name === 'hello')?.result.requests.mean ?? 0;
  const header = ['route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs hello'];
  const rows = runs.map(({ route, result }) => [
    route,
    result.requests.mean.toFixed(0),
    String(result.latency.p50),
    String(result.latency.p99),
    String(result.non2xx),
    String(result.errors + result.timeouts),
    hello > 0 ? `${((100 * result.requests.mean) / hello).toFixed(1)} %` : '-',
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
    '',
    `server memory after the runs: RSS ${mib(s.serverMemory.rss)} ` +
      `(peak ${mib(s.serverMemory.peakRss)}), heap used ${mib(s.serverMemory.heapUsed)}`,
    `redis master after the runs: ${s.redis.keysDb0} keys in DB 0, ${s.redis.keysDb1} in DB 1, ` +
      `used memory ${mib(s.redis.usedMemoryBytes)}`,
  ].join('\n');
}

/** The numbers only (no histograms), for pasting or diffing between runs. */
export function summaryJson(s: BenchSummary): string {
  return JSON.stringify({
    ...s,
    runs: s.runs.map(({ name, route, result }) => ({
      name,
      route,
      requestsPerSecond: result.requests.mean,
      total: result.requests.total,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99 },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(
        Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
      ),
    })),
  });
}
