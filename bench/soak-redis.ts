/**
 * What the soak reads from the Redis master, on short-lived clients of its own: used_memory and
 * per-DB key counts every sample (INFO), and at the baseline, the end of the load and after
 * the drain every key by group (SCAN, MEMORY USAGE), which names the keys that did not go away.
 */
import { parseInfo, withClient } from '../src/dev/redis-process';
import type { RedisTopology } from '../src/dev/redis-topology';

const SCAN_TIMEOUT_MS = 10_000;

export interface RedisFigures {
  readonly usedMemory: number;
  /** Keys per DB (`db0`, `db1`), expired keys not yet reclaimed included. */
  readonly keys: Record<string, number>;
}

/** Keys and their bytes (MEMORY USAGE) per group, per DB: `db0 auth:access_token:*`. */
export type KeyGroups = Record<string, { keys: number; bytes: number }>;

export async function redisFigures(topology: RedisTopology): Promise<RedisFigures> {
  const master = await topology.currentMaster();
  const info = parseInfo(await withClient(master.port, (c) => c.info(), SCAN_TIMEOUT_MS));
  const keys: Record<string, number> = { db0: 0, db1: 0 };
  for (const [field, value] of Object.entries(info)) {
    if (/^db\d+$/.test(field)) keys[field] = Number(/keys=(\d+)/.exec(value)?.[1] ?? 0);
  }
  return { usedMemory: Number(info.used_memory), keys };
}

/**
 * The group of a key: its first two `:` segments when it has more (`auth:access_token:*`,
 * `tollgate_jobs:cleanup:*`), else the whole name (`auth_stats`, `auth:clients`).
 */
export function keyGroup(key: string): string {
  const parts = key.split(':');
  return parts.length > 2 ? `${parts[0]}:${parts[1]}:*` : key;
}

export async function keyGroups(topology: RedisTopology, dbs: number[]): Promise<KeyGroups> {
  const master = await topology.currentMaster();
  const groups: KeyGroups = {};
  await withClient(
    master.port,
    async (client) => {
      for (const db of dbs) {
        await client.select(db);
        let cursor = '0';
        do {
          const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
          cursor = next;
          const pipeline = client.pipeline();
          for (const key of batch) pipeline.memory('USAGE', key);
          const sizes = (await pipeline.exec()) ?? [];
          batch.forEach((key, i) => {
            const group = (groups[`db${db} ${keyGroup(key)}`] ??= { keys: 0, bytes: 0 });
            group.keys += 1;
            // null: the key expired between SCAN and MEMORY USAGE.
            group.bytes += Number(sizes[i]?.[1] ?? 0);
          });
        } while (cursor !== '0');
      }
    },
    SCAN_TIMEOUT_MS,
  );
  return groups;
}
