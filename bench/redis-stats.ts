/** What the Redis master did during the benchmark, read with INFO on a short-lived client. */
import { parseInfo, withClient } from '../src/dev/redis-process';
import type { RedisTopology } from '../src/dev/redis-topology';
import type { RedisFootprint } from './report';

/** Calls per command on the current master so far (INFO commandstats; Lua's redis.call
 * included, as are Sentinel's own PING/INFO). */
export async function redisCommandCalls(topology: RedisTopology): Promise<Map<string, number>> {
  const master = await topology.currentMaster();
  const info = parseInfo(await withClient(master.port, (c) => c.info('commandstats')));
  const calls = new Map<string, number>();
  for (const [field, value] of Object.entries(info)) {
    const count = /^calls=(\d+)/.exec(value)?.[1];
    if (field.startsWith('cmdstat_') && count) calls.set(field.slice(8), Number(count));
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

export async function redisFootprint(topology: RedisTopology): Promise<RedisFootprint> {
  const master = await topology.currentMaster();
  const info = parseInfo(await withClient(master.port, (c) => c.info()));
  const keys = (db: string): number => Number(/keys=(\d+)/.exec(info[db] ?? '')?.[1] ?? 0);
  return {
    keysDb0: keys('db0'),
    keysDb1: keys('db1'),
    usedMemoryBytes: Number(info.used_memory),
    version: info.redis_version,
  };
}
