import type { RedisConnection } from './redis-connection';

/** What tollgate needs from the Redis it writes to, as INFO reports it. */
export interface RedisSettings {
  readonly role: string | null;
  readonly maxmemoryPolicy: string | null;
  readonly aofEnabled: boolean;
  readonly connectedReplicas: number;
  /** Replicas the master counts towards min-replicas-to-write; null when that is off. */
  readonly minReplicasGoodReplicas: number | null;
}

export interface SettingsRequirements {
  /** Connected replicas the master must have (production: 2). */
  readonly minReplicas: number;
  readonly requireAof: boolean;
}

function infoField(info: string, field: string): string | null {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m ? m[1].trim() : null;
}

/**
 * Reads the settings with INFO only: ACL users that may not run CONFIG GET can still run it.
 * `min_slaves_good_slaves` is in INFO only while min-replicas-to-write is set.
 */
export async function readRedisSettings(connection: RedisConnection): Promise<RedisSettings> {
  const info = await connection.client.info();
  const good = infoField(info, 'min_slaves_good_slaves');
  return {
    role: infoField(info, 'role'),
    maxmemoryPolicy: infoField(info, 'maxmemory_policy'),
    aofEnabled: infoField(info, 'aof_enabled') === '1',
    connectedReplicas: Number(infoField(info, 'connected_slaves') ?? 0),
    minReplicasGoodReplicas: good === null ? null : Number(good),
  };
}

/**
 * Why each setting matters (docs/operations.md): noeviction, because auth data and the job
 * queue must never be evicted; AOF, because a master restarting empty would wipe its
 * replicas; replicas, because REDIS_WRITE_REPLICAS and failover need them.
 */
export function settingsProblems(s: RedisSettings, req: SettingsRequirements): string[] {
  const problems: string[] = [];
  if (s.role !== 'master') problems.push(`role is ${s.role ?? 'unknown'}, expected master`);
  if (s.maxmemoryPolicy !== 'noeviction')
    problems.push(`maxmemory-policy is ${s.maxmemoryPolicy ?? 'unknown'}, expected noeviction`);
  if (req.requireAof && !s.aofEnabled) problems.push('appendonly is off, expected yes (AOF)');
  if (s.connectedReplicas < req.minReplicas)
    problems.push(
      `${s.connectedReplicas} connected replicas, expected at least ${req.minReplicas}`,
    );
  if (req.minReplicas > 0 && s.minReplicasGoodReplicas === null)
    problems.push('min-replicas-to-write is off, expected at least 1');
  return problems;
}
