/**
 * The faults of the chaos scenario (issue 12), injected into a real Sentinel topology by PID:
 * - kill:          kill -9 of the master (Sentinel promotes a replica);
 * - freeze:        SIGSTOP of the master for `freezeMs`, then SIGCONT (like a partition);
 * - sentinel-kill: kill -9 of the first Sentinel in the apps' list (the one ioredis asks
 *                  first); it stays dead, two of three keep the quorum;
 * - replica-kill:  kill -9 of one replica for `downMs`, then restarted (empty; it resyncs);
 * - redis-down:    kill -9 of EVERY redis process (master, replicas, Sentinels) for
 *                  `downMs`, then all restarted on the same ports, dirs and config files.
 *                  The scenario runs that fault with AOF on (AOF_CONFIG): without it the master
 *                  comes back empty and wipes its replicas (clients, users, every token).
 * No jest imports: `npm run chaos` reuses this file.
 */
import type { RedisTopology } from '../../../src/dev/redis-topology';

export const FAULTS = ['kill', 'freeze', 'sentinel-kill', 'replica-kill', 'redis-down'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultSpec {
  readonly fault: Fault;
  /** freeze: how long the master stays stopped (default 10 s). */
  readonly freezeMs?: number;
  /** replica-kill and redis-down: how long the processes stay dead (default 4 s and 8 s). */
  readonly downMs?: number;
}

export interface FaultTimes {
  /** When the fault hit (the kill or SIGSTOP was sent). */
  readonly faultAt: number;
  /** When it ended (SIGCONT sent, processes restarted and answering); faultAt if it lasts. */
  readonly recoveredAt: number;
  /** replica-kill: from the replica's exit to its restart, and the replica that stayed up. */
  readonly replicaDown?: { readonly from: number; readonly to: number; readonly survivor: number };
}

/** Data-node config for redis-down, as the production chart runs it (appendonly, everysec).
 * A kill -9 of the process loses nothing with everysec: Redis writes the AOF buffer to the
 * file (the OS page cache) before it sends the replies; only an OS crash loses the last second. */
export const AOF_CONFIG = ['appendonly yes', 'appendfsync everysec'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a fault keeps the topology broken, for the length of the load. */
export function faultSpanMs(spec: FaultSpec): number {
  if (spec.fault === 'freeze') return spec.freezeMs ?? 10_000;
  if (spec.fault === 'replica-kill') return spec.downMs ?? 4000;
  if (spec.fault === 'redis-down') return spec.downMs ?? 8000;
  return 0;
}

export async function injectFault(topology: RedisTopology, spec: FaultSpec): Promise<FaultTimes> {
  switch (spec.fault) {
    case 'kill':
      return killMaster(topology);
    case 'freeze':
      return freezeMaster(topology, faultSpanMs(spec));
    case 'sentinel-kill':
      return killFirstSentinel(topology);
    case 'replica-kill':
      return killReplica(topology, faultSpanMs(spec));
    case 'redis-down':
      return stopEverything(topology, faultSpanMs(spec));
  }
}

const instant = (at: number): FaultTimes => ({ faultAt: at, recoveredAt: at });

async function killMaster(topology: RedisTopology): Promise<FaultTimes> {
  const master = await topology.currentMaster();
  const faultAt = Date.now();
  await topology.stopNode(master.port, 'SIGKILL');
  return instant(faultAt);
}

async function freezeMaster(topology: RedisTopology, freezeMs: number): Promise<FaultTimes> {
  const master = await topology.currentMaster();
  const faultAt = Date.now();
  topology.pauseNode(master.port);
  try {
    await sleep(freezeMs);
  } finally {
    topology.resumeNode(master.port);
  }
  return { faultAt, recoveredAt: Date.now() };
}

async function killFirstSentinel(topology: RedisTopology): Promise<FaultTimes> {
  const faultAt = Date.now();
  await topology.stopNode(topology.sentinelNodes[0].port, 'SIGKILL');
  return instant(faultAt);
}

async function killReplica(topology: RedisTopology, downMs: number): Promise<FaultTimes> {
  const master = await topology.currentMaster();
  const [victim, survivor] = topology.dataNodes.filter((n) => n.port !== master.port);
  const faultAt = Date.now();
  await topology.stopNode(victim.port, 'SIGKILL');
  const from = Date.now();
  await sleep(downMs);
  const to = Date.now();
  await topology.restartNode(victim.port);
  await topology.waitReplicaInSync(victim);
  return { faultAt, recoveredAt: Date.now(), replicaDown: { from, to, survivor: survivor.port } };
}

/** Restarts the last master first, so no Sentinel finds it down when the replicas come back
 * (a failover to a replica still loading would be a different fault). */
async function stopEverything(topology: RedisTopology, downMs: number): Promise<FaultTimes> {
  const master = await topology.currentMaster();
  const replicas = topology.dataNodes.filter((n) => n.port !== master.port);
  const all = [...topology.sentinelNodes, ...topology.dataNodes];
  const faultAt = Date.now();
  await Promise.all(all.map((n) => topology.stopNode(n.port, 'SIGKILL')));
  await sleep(downMs);
  await topology.restartNode(master.port);
  await Promise.all(replicas.map((n) => topology.restartNode(n.port)));
  await Promise.all(topology.sentinelNodes.map((n) => topology.restartNode(n.port)));
  return { faultAt, recoveredAt: Date.now() };
}
