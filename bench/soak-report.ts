/**
 * The soak's figures: the samples, the summary computed from them, the pass/fail checks with
 * their bounds, and the files (bench/results/soak.json with everything, soak.csv with the
 * series for a spreadsheet or gnuplot).
 */
import { writeFileSync } from 'node:fs';
import type { LoadTotals } from './soak-load';
import type { KeyGroups, RedisFigures } from './soak-redis';

export const MIB = 1024 * 1024;

export interface Sample {
  /** Seconds since the load started (negative: none). */
  readonly t: number;
  readonly phase: 'load' | 'drain';
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly redisUsedMiB: number;
  readonly db0Keys: number;
  readonly db1Keys: number;
  readonly perSecond: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly shed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** 1-minute load average of the machine. */
  readonly load1: number;
}

export interface Bounds {
  /** RSS slope over the last 2/3 of the load, MiB per 10 minutes. */
  readonly rssSlopeMiBPer10Min: number;
  /** Load phases shorter than this do not check the slope (too few samples to mean much). */
  readonly slopeMinMinutes: number;
  /** used_memory after the drain, less the growth of BullMQ's keys, may exceed the baseline
   * by this much. */
  readonly redisGrowthMiB: number;
  /** Keys of BullMQ's own (tollgate_jobs:*) may exceed the baseline by this many. */
  readonly jobKeysGrowth: number;
}

export interface SoakSummary {
  readonly settings: Record<string, string | number>;
  readonly bounds: Bounds;
  readonly loadAverage: { readonly start: number[]; readonly end: number[] };
  readonly rssMiB: { start: number; peak: number; end: number; afterDrain: number };
  readonly rssSlopeMiBPer10Min: number;
  /** The same over per-minute minima (floorSlopePer10Min). */
  readonly rssFloorSlopeMiBPer10Min: number;
  readonly heapUsedMiB: {
    start: number;
    peak: number;
    end: number;
    slopePer10Min: number;
    floorSlopePer10Min: number;
  };
  readonly redis: {
    readonly baseline: RedisFigures;
    readonly peakUsedMemory: number;
    readonly afterDrain: RedisFigures;
  };
  readonly keyGroups: { baseline: KeyGroups; endOfLoad: KeyGroups; afterDrain: KeyGroups };
  readonly load: LoadTotals;
  readonly failures: string[];
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Slope of `field` over the load samples from a third of the load on, per 10 minutes. */
export function lateSlopePer10Min(samples: Sample[], field: 'rssMiB' | 'heapUsedMiB'): number {
  const load = samples.filter((s) => s.phase === 'load');
  const last = load.at(-1)?.t ?? 0;
  const late = load.filter((s) => s.t >= last / 3).map((s) => [s.t, s[field]] as const);
  return slope(late) * 600;
}

/** BullMQ's keys: its jobs, kept up to 50 per state, and its event stream, capped by BullMQ. */
const isJobGroup = (group: string): boolean => group.includes(' tollgate_jobs:');

/** Bytes (MEMORY USAGE) of BullMQ's keys after the drain less at the baseline. */
export function jobBytesGrowth(baseline: KeyGroups, afterDrain: KeyGroups): number {
  const bytes = (groups: KeyGroups): number =>
    Object.entries(groups)
      .filter(([group]) => isJobGroup(group))
      .reduce((sum, [, g]) => sum + g.bytes, 0);
  return bytes(afterDrain) - bytes(baseline);
}

/**
 * Slope of the per-minute minima of `field` over the last 2/3 of the load, per 10 minutes:
 * the floor the garbage collector gets back to, without its sawtooth.
 */
export function floorSlopePer10Min(samples: Sample[], field: 'rssMiB' | 'heapUsedMiB'): number {
  const load = samples.filter((s) => s.phase === 'load');
  const last = load.at(-1)?.t ?? 0;
  const minima = new Map<number, number>();
  for (const s of load.filter((x) => x.t >= last / 3)) {
    const minute = Math.floor(s.t / 60);
    minima.set(minute, Math.min(minima.get(minute) ?? Infinity, s[field]));
  }
  return slope([...minima].map(([minute, v]) => [minute * 60, v] as const)) * 600;
}

/** Groups after the drain with more keys than at the baseline (BullMQ's within its bound). */
export function grownGroups(
  baseline: KeyGroups,
  afterDrain: KeyGroups,
  jobKeysGrowth: number,
): string[] {
  return Object.entries(afterDrain)
    .filter(([group, { keys }]) => {
      const allowed = isJobGroup(group) ? jobKeysGrowth : 0;
      return keys > (baseline[group]?.keys ?? 0) + allowed;
    })
    .map(([group, { keys }]) => `${group}: ${baseline[group]?.keys ?? 0} -> ${keys}`);
}

/** The checks: each failure is one line naming the figure and its bound. */
export function checkSoak(s: Omit<SoakSummary, 'failures'>, loadMinutes: number): string[] {
  const failures: string[] = [];
  const b = s.bounds;
  if (loadMinutes >= b.slopeMinMinutes && s.rssSlopeMiBPer10Min > b.rssSlopeMiBPer10Min) {
    failures.push(
      `RSS grows ${s.rssSlopeMiBPer10Min.toFixed(2)} MiB per 10 min over the last 2/3 ` +
        `(bound ${b.rssSlopeMiBPer10Min})`,
    );
  }
  const jobs = jobBytesGrowth(s.keyGroups.baseline, s.keyGroups.afterDrain);
  const growth = (s.redis.afterDrain.usedMemory - s.redis.baseline.usedMemory - jobs) / MIB;
  if (growth > b.redisGrowthMiB) {
    failures.push(
      `Redis used_memory after the drain, less BullMQ's keys, is ${growth.toFixed(2)} MiB ` +
        `above the baseline (bound ${b.redisGrowthMiB})`,
    );
  }
  for (const line of grownGroups(s.keyGroups.baseline, s.keyGroups.afterDrain, b.jobKeysGrowth)) {
    failures.push(`keys left after the drain: ${line}`);
  }
  const wrong = Object.values(s.load.wrongAnswers).reduce((a, n) => a + n, 0);
  if (wrong > 0) failures.push(`${wrong} operations got a wrong answer`);
  return failures;
}

const CSV_FIELDS: ReadonlyArray<keyof Sample> = [
  't',
  'phase',
  'rssMiB',
  'heapUsedMiB',
  'redisUsedMiB',
  'db0Keys',
  'db1Keys',
  'perSecond',
  'requests',
  'non2xx',
  'errors',
  'shed',
  'p50Ms',
  'p99Ms',
  'load1',
];

const round = (n: number): number => Math.round(n * 100) / 100;

export function writeSoakFiles(base: string, summary: SoakSummary, samples: Sample[]): void {
  writeFileSync(`${base}.json`, `${JSON.stringify({ summary, samples }, null, 2)}\n`);
  const rows = samples.map((s) =>
    CSV_FIELDS.map((f) => (typeof s[f] === 'number' ? round(s[f]) : s[f])).join(','),
  );
  writeFileSync(`${base}.csv`, `${[CSV_FIELDS.join(','), ...rows].join('\n')}\n`);
}

/** The summary as a Markdown table, the form docs/reliability.md quotes. */
export function summaryMarkdown(s: SoakSummary): string {
  const mib = (n: number): string => n.toFixed(1);
  const keys = (f: RedisFigures): string => `${f.keys.db0 ?? 0} / ${f.keys.db1 ?? 0}`;
  const byStatus = Object.entries(s.load.statuses)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    [
      'settings',
      Object.entries(s.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
    [
      'load average (1/5/15 min) start, end',
      `${s.loadAverage.start.join(' ')}; ${s.loadAverage.end.join(' ')}`,
    ],
    [
      'server RSS start / peak / end / after drain (MiB)',
      `${mib(s.rssMiB.start)} / ${mib(s.rssMiB.peak)} / ${mib(s.rssMiB.end)} / ${mib(s.rssMiB.afterDrain)}`,
    ],
    [
      'RSS slope, last 2/3 of the load (MiB per 10 min): all samples; per-minute minima',
      `${s.rssSlopeMiBPer10Min.toFixed(2)}; ${s.rssFloorSlopeMiBPer10Min.toFixed(2)}`,
    ],
    [
      'heap used start / peak / end (MiB); slope per 10 min: all samples; per-minute minima',
      `${mib(s.heapUsedMiB.start)} / ${mib(s.heapUsedMiB.peak)} / ${mib(s.heapUsedMiB.end)}; ` +
        `${s.heapUsedMiB.slopePer10Min.toFixed(2)}; ${s.heapUsedMiB.floorSlopePer10Min.toFixed(2)}`,
    ],
    [
      'Redis used_memory baseline / peak / after drain (MiB)',
      `${mib(s.redis.baseline.usedMemory / MIB)} / ${mib(s.redis.peakUsedMemory / MIB)} / ${mib(s.redis.afterDrain.usedMemory / MIB)}`,
    ],
    [
      "of the growth: BullMQ's own keys (tollgate_jobs:*, MiB)",
      (jobBytesGrowth(s.keyGroups.baseline, s.keyGroups.afterDrain) / MIB).toFixed(2),
    ],
    [
      'keys DB0 / DB1 baseline, after drain',
      `${keys(s.redis.baseline)}; ${keys(s.redis.afterDrain)}`,
    ],
    ['requests (by status)', `${s.load.requests} (${byStatus})`],
    ['non-2xx (303 and 404 are right answers here)', String(s.load.non2xx)],
    [
      'wrong answers, failed requests, shed',
      `${JSON.stringify(s.load.wrongAnswers)}, ${s.load.failedRequests}, ${s.load.shed}`,
    ],
    ['result', s.failures.length ? `FAIL: ${s.failures.join('; ')}` : 'pass'],
  ];
  return ['| figure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}
