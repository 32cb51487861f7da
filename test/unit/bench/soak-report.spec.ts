import {
  Bounds,
  checkSoak,
  floorSlopePer10Min,
  lateSlopePer10Min,
  MIB,
  Sample,
  slope,
  SoakSummary,
} from '../../../bench/soak-report';
import { keyGroup, KeyGroups } from '../../../bench/soak-redis';

const BOUNDS: Bounds = {
  rssSlopeMiBPer10Min: 10,
  slopeMinMinutes: 10,
  redisGrowthMiB: 1,
  jobKeysGrowth: 310,
};

function sample(t: number, rssMiB: number, phase: Sample['phase'] = 'load'): Sample {
  return {
    t,
    phase,
    rssMiB,
    heapUsedMiB: rssMiB / 2,
    redisUsedMiB: 0,
    db0Keys: 0,
    db1Keys: 0,
    perSecond: 0,
    requests: 0,
    non2xx: 0,
    errors: 0,
    shed: 0,
    p50Ms: 0,
    p99Ms: 0,
    load1: 0,
  };
}

/** Every 10 s for `minutes`, RSS from `rss(t)`. */
const series = (minutes: number, rss: (t: number) => number): Sample[] =>
  Array.from({ length: minutes * 6 + 1 }, (_, i) => sample(i * 10, rss(i * 10)));

function summary(overrides: {
  rssSlope?: number;
  usedMemory?: [number, number];
  groups?: [KeyGroups, KeyGroups];
}): Omit<SoakSummary, 'failures'> {
  const [before, after] = overrides.usedMemory ?? [2 * MIB, 2 * MIB];
  const [baseline, afterDrain] = overrides.groups ?? [{}, {}];
  const figures = (usedMemory: number) => ({ usedMemory, keys: { db0: 0, db1: 0 } });
  return {
    settings: {},
    bounds: BOUNDS,
    loadAverage: { start: [], end: [] },
    rssMiB: { start: 0, peak: 0, end: 0, afterDrain: 0 },
    rssSlopeMiBPer10Min: overrides.rssSlope ?? 0,
    rssFloorSlopeMiBPer10Min: 0,
    heapUsedMiB: { start: 0, peak: 0, end: 0, slopePer10Min: 0, floorSlopePer10Min: 0 },
    redis: { baseline: figures(before), peakUsedMemory: 0, afterDrain: figures(after) },
    keyGroups: { baseline, endOfLoad: {}, afterDrain },
    load: {
      requests: 0,
      operations: {},
      statuses: {},
      non2xx: 0,
      wrongAnswers: {},
      failedRequests: 0,
      shed: 0,
      examples: [],
    },
  };
}

describe('soak report', () => {
  it('computes a least-squares slope', () => {
    expect(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBeCloseTo(2);
    expect(slope([[0, 7]])).toBe(0);
  });

  it('measures the RSS slope over the last 2/3 of the load only, per 10 minutes', () => {
    // Flat at 200 MiB after a warm-up climb in the first third, growing 1 MiB a minute after.
    const samples = [
      ...series(30, (t) => (t < 600 ? 100 + t / 6 : 200 + (t - 600) / 60)),
      sample(1900, 50, 'drain'),
    ];
    expect(lateSlopePer10Min(samples, 'rssMiB')).toBeCloseTo(10, 1);
  });

  it('follows the per-minute minima, not the garbage collector sawtooth', () => {
    // Once a minute a peak before a collection, higher each time; the floor stays at 150 MiB.
    const sawtooth = series(30, (t) => ((t / 10) % 6 === 5 ? 250 + t / 10 : 150));
    expect(lateSlopePer10Min(sawtooth, 'rssMiB')).toBeGreaterThan(1);
    expect(floorSlopePer10Min(sawtooth, 'rssMiB')).toBeCloseTo(0, 5);
  });

  it('fails a run whose RSS grows faster than the bound, if it ran long enough to tell', () => {
    expect(checkSoak(summary({ rssSlope: 12 }), 30)).toEqual([
      expect.stringContaining('RSS grows 12.00 MiB per 10 min'),
    ]);
    expect(checkSoak(summary({ rssSlope: 12 }), 2)).toEqual([]);
    expect(checkSoak(summary({ rssSlope: 9 }), 30)).toEqual([]);
  });

  it('fails when Redis memory, less the growth of BullMQ keys, stays above the baseline', () => {
    const jobs = (bytes: number): KeyGroups => ({
      'db0 tollgate_jobs:cleanup:*': { keys: 10, bytes },
    });
    const grown = summary({ usedMemory: [2 * MIB, 4 * MIB], groups: [jobs(0), jobs(0)] });
    expect(checkSoak(grown, 30)).toEqual([expect.stringContaining('2.00 MiB above')]);
    const explained = summary({ usedMemory: [2 * MIB, 4 * MIB], groups: [jobs(0), jobs(MIB)] });
    expect(checkSoak(explained, 30)).toEqual([]);
  });

  it('names every key group left after the drain, allowing BullMQ its kept jobs', () => {
    const baseline: KeyGroups = {
      'db0 auth:client:*': { keys: 2, bytes: 0 },
      'db0 tollgate_jobs:cleanup:*': { keys: 16, bytes: 0 },
    };
    const afterDrain: KeyGroups = {
      'db0 auth:client:*': { keys: 2, bytes: 0 },
      'db0 auth:rate_limit:*': { keys: 1, bytes: 0 },
      'db0 tollgate_jobs:cleanup:*': { keys: 300, bytes: 0 },
    };
    expect(checkSoak(summary({ groups: [baseline, afterDrain] }), 30)).toEqual([
      'keys left after the drain: db0 auth:rate_limit:*: 0 -> 1',
    ]);
  });

  it('groups keys by their first two segments', () => {
    expect(keyGroup('auth:access_token:abc')).toBe('auth:access_token:*');
    expect(keyGroup('tollgate_jobs:cleanup:token-cleanup:1')).toBe('tollgate_jobs:cleanup:*');
    expect(keyGroup('auth:clients')).toBe('auth:clients');
    expect(keyGroup('auth_stats')).toBe('auth_stats');
  });
});
