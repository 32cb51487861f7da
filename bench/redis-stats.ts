/** What the Redis master did during the benchmark, read with INFO on a short-lived client. */
import { parseInfo, withClient } from '../src/dev/redis-process';
import type { RedisTopology } from '../src/dev/redis-topology';
import type { RedisFootprint } from './report';

/** Calls per command on the current master so far (INFO commandstats; every command a Lua
 * script runs counts too, and so does the EVALSHA that ran it). */
export async function redisCommandCalls(topology: RedisTopology): Promise<Map<string, number>> {
  const master = await topology.currentMaster();
  const info = parseInfo(await withClient(master.port, (c) => c.info('commandstats')));
  const calls = new Map<string, number>();
  for (const [field, value] of Object.entries(info)) {
    const count = /^calls=(\d+)/.exec(value)?.[1];
    // The harness's own INFO (this snapshot) is no server's command.
    if (field.startsWith('cmdstat_') && field !== 'cmdstat_info' && count) {
      calls.set(field.slice(8), Number(count));
    }
  }
  return calls;
}

/** Per-request calls of each command between two snapshots; rare ones (< 0.01) dropped. */
export function callsPerRequest(
  before: Map<string, number>,
  after: Map<string, number>,
  requests: number,
): Record<string, number> {
  const perRequest = [...after].map(([cmd, n]): [string, number] => [
    cmd,
    (n - (before.get(cmd) ?? 0)) / requests,
  ]);
  return Object.fromEntries(perRequest.filter(([, n]) => n >= 0.01).sort(([, a], [, b]) => b - a));
}

/** Socket read events Redis has processed so far (INFO stats `total_reads_processed`). */
async function readsProcessed(topology: RedisTopology): Promise<number> {
  const master = await topology.currentMaster();
  const info = parseInfo(await withClient(master.port, (c) => c.info('stats')));
  return Number(info.total_reads_processed);
}

async function readsAround(topology: RedisTopology, fn: () => Promise<void>): Promise<number> {
  const before = await readsProcessed(topology);
  await fn();
  return (await readsProcessed(topology)) - before;
}

/**
 * Round trips to Redis while `fn` runs sequential requests: the read events Redis processed
 * (each socket read takes in one client write, e.g. one auto-pipelined batch of commands),
 * less those of the snapshots themselves (measured around nothing). Two commands sent in
 * the same tick on one connection count once; a command sent after another's reply, twice.
 */
export async function roundTrips(
  topology: RedisTopology,
  fn: () => Promise<void>,
): Promise<number> {
  const overhead = await readsAround(topology, async () => undefined);
  return Math.max(0, (await readsAround(topology, fn)) - overhead);
}

export async function redisFootprint(topology: RedisTopology): Promise<RedisFootprint> {
  const master = await topology.currentMaster();
  const info = parseInfo(await withClient(master.port, (c) => c.info()));
  const keys = Object.entries(info)
    .filter(([field]) => /^db\d+$/.test(field))
    .map(([db, value]) => [db, Number(/keys=(\d+)/.exec(value)?.[1] ?? 0)] as const);
  return {
    keys: Object.fromEntries(keys),
    usedMemoryBytes: Number(info.used_memory),
    version: info.redis_version,
  };
}

/**
 * The commands clients send to Redis while `fn` runs, by name, from MONITOR: an EVALSHA is
 * one command and the commands its script runs are not counted (MONITOR reports them with
 * the source "lua"); MULTI, EXEC and every command between them count one each. MONITOR
 * slows Redis down, so it only watches a short sequential probe, never a measured run.
 */
export async function sentCommands(
  topology: RedisTopology,
  fn: () => Promise<void>,
): Promise<Map<string, number>> {
  const master = await topology.currentMaster();
  const sent = new Map<string, number>();
  await withClient(master.port, async (client) => {
    const monitor = await client.monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const command = String(args[0]).toLowerCase();
      if (source === 'lua' || command === 'info') return;
      sent.set(command, (sent.get(command) ?? 0) + 1);
    });
    try {
      await fn();
      // The last commands' MONITOR lines may still be on their way.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      monitor.disconnect();
    }
  });
  return sent;
}
