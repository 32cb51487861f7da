/**
 * One cell of the matrix: one route of one server at one number of connections. A check
 * before and after, a MONITOR probe for the commands sent to Redis, an unmeasured warm-up,
 * then the measured run with the server's CPU time and Redis' command counts around it.
 * A load of dependent requests (the authorize round trip) runs in bench/round-trip-loop.ts
 * instead of autocannon; its operations count as the cell's requests.
 */
import autocannon from 'autocannon';
import type { RedisTopology } from '../src/dev/redis-topology';
import { CpuShare, sampleCpu } from './cpu';
import { LatencyRecorder, LatencySummary } from './latency';
import { callsPerRequest, redisCommandCalls, roundTrips, sentCommands } from './redis-stats';
import { runLoop, RunResult } from './round-trip-loop';
import type { RouteLoad } from './route-load';
import type { Endpoint } from './routes';
import type { RouteName, ServerName } from './settings';

/** Sequential requests watched by MONITOR per cell. */
export const PROBE_REQUESTS = 20;

export interface Cell {
  readonly server: ServerName;
  readonly route: RouteName;
  readonly connections: number;
  /** Completed requests (round trips, for a round-trip load) in the measured run, whatever
   * their status. */
  readonly requests: number;
  readonly durationSeconds: number;
  readonly requestsPerSecond: number;
  /** 2xx answers only, to the microsecond (bench/latency.ts). */
  readonly latencyMs: LatencySummary;
  readonly non2xx: number;
  /** Socket errors, timeouts included. */
  readonly socketErrors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  /** Server process CPU time (user + system) during the run / requests. */
  readonly serverCpuMicrosPerRequest: number;
  readonly cpu: CpuShare;
  /** Commands the server sent to Redis per request (MONITOR probe; an EVALSHA is one). */
  readonly redisSentPerRequest: number;
  readonly redisSent: Record<string, number>;
  /** Round trips to Redis per request (sequential probe; bench/redis-stats.ts roundTrips). */
  readonly redisRoundTripsPerRequest: number;
  /** Commands Redis executed per request sent in the measured run (INFO commandstats deltas;
   * the EVALSHA and every command its script ran count one each). */
  readonly redisExecutedPerRequest: number;
  readonly redisExecuted: Record<string, number>;
  readonly notes: string[];
}

export interface CellPlan {
  readonly at: Endpoint;
  readonly route: RouteName;
  readonly connections: number;
  readonly load: RouteLoad;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
}

/** Long enough for in-flight requests to finish after autocannon closed its sockets. */
const SETTLE_MS = 300;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

/** One run of the load: autocannon, or the round-trip loop with a worker per connection. */
async function run(
  plan: CellPlan,
  durationSeconds: number,
  latency?: LatencyRecorder,
): Promise<RunResult> {
  const { load, connections } = plan;
  if ('operation' in load) {
    return runLoop(load.operation, { workers: connections, seconds: durationSeconds, latency });
  }
  const instance = autocannon({
    url: plan.at.base,
    connections,
    pipelining: 1,
    duration: durationSeconds,
    requests: [load.request],
  });
  load.bind(instance);
  latency?.attach(instance);
  return instance;
}

export async function measureCell(plan: CellPlan, topology: RedisTopology): Promise<Cell> {
  try {
    return await measure(plan, topology);
  } finally {
    if ('close' in plan.load) plan.load.close();
  }
}

async function measure(plan: CellPlan, topology: RedisTopology): Promise<Cell> {
  const { at, load } = plan;
  await load.once();
  const sent = await sentCommands(topology, async () => {
    for (let i = 0; i < PROBE_REQUESTS; i++) await load.once();
  });
  const trips = await roundTrips(topology, async () => {
    for (let i = 0; i < PROBE_REQUESTS; i++) await load.once();
  });
  // Warm-up as its own run (JIT, connection pools), so the samples cover only the measurement.
  const warmup = await run(plan, plan.warmupSeconds);
  await load.afterWarmup(warmup.requests.total / Math.max(0.01, warmup.duration));
  await settle(); // the warm-up's last requests finish before the counts start

  const callsBefore = await redisCommandCalls(topology);
  const endSample = await sampleCpu(() => at.process.cpuMicros());
  const latency = new LatencyRecorder();
  const result = await run(plan, plan.durationSeconds, latency);
  const cpu = await endSample();
  await settle(); // requests sent but unanswered when the run stopped reach Redis too
  const callsAfter = await redisCommandCalls(topology);

  await load.once(); // still answering right after the load
  await load.verifyAfter();

  const requests = Math.max(1, result.requests.total);
  const executed = callsPerRequest(callsBefore, callsAfter, Math.max(1, result.requests.sent));
  const redisSent = Object.fromEntries(
    [...sent].map(([command, n]) => [command, n / PROBE_REQUESTS] as const),
  );
  return {
    server: at.server,
    route: plan.route,
    connections: plan.connections,
    requests: result.requests.total,
    durationSeconds: result.duration,
    requestsPerSecond: result.requests.total / Math.max(0.01, result.duration),
    latencyMs: latency.summary(),
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
    serverCpuMicrosPerRequest: cpu.serverMicros / requests,
    cpu,
    redisSentPerRequest: sum(Object.values(redisSent)),
    redisSent,
    redisRoundTripsPerRequest: trips / PROBE_REQUESTS,
    redisExecutedPerRequest: sum(Object.values(executed)),
    redisExecuted: executed,
    notes: load.notes(),
  };
}
