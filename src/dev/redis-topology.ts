/**
 * Real Redis topologies (one standalone node, or a master with replicas watched by Sentinels)
 * for integration tests and `npm run start:local`. Failover handling is only proven against
 * the real Sentinel protocol, so nothing here is mocked. Every process is tracked by PID and
 * killed by stop(); if the owner crashes, a process 'exit' hook (plain Node only) and the
 * kernel's parent-death signal (see redis-process.ts; also covers jest and SIGKILL) make sure no
 * redis-server is left behind. No jest imports: compiled code reuses this file.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RedisOptions } from 'ioredis';
import {
  freePorts,
  LOOPBACK,
  NodeAddress,
  parseInfo,
  pollUntil,
  PortInUseError,
  RedisNodeProcess,
  RedisProcessHandle,
} from './redis-process';
import type { ServerCertificate } from './test-certificates';
import { HARNESS_ACL, prepareSecurity, Security } from './topology-security';

export type { NodeAddress, RedisProcessHandle } from './redis-process';
export { HARNESS_ACL } from './topology-security';

export type TopologyMode = 'standalone' | 'sentinel';

export interface TopologyOptions {
  mode: TopologyMode;
  /** Sentinel mode only; default 2. */
  replicas?: number;
  /** Sentinel mode only; default 3, quorum is a majority (2 of 3). */
  sentinels?: number;
  masterName?: string;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  /** Parent directory for the topology's fresh temp dir; default os.tmpdir(). */
  baseDir?: string;
  /** Extra redis.conf lines for data nodes (not sentinels). */
  extraConfig?: string[];
  /**
   * TLS only, as production runs it: every node (data and Sentinel) listens on a TLS port,
   * its plain port off; replicas and Sentinels talk TLS to the data nodes. A fresh test CA in
   * the topology's dir signs one certificate for 127.0.0.1 (`tlsFiles`).
   */
  tls?: boolean;
  /**
   * ACL users of the data nodes, as aclfile lines (`user <name> on >password <rules>`). With
   * them, `default` is off and the harness adds its own users: an admin for itself
   * (`adminAccess()`), a replication user (masteruser/masterauth) and a Sentinel user
   * (sentinel auth-user/auth-pass), with the rules of docs/security.md.
   */
  aclUsers?: string[];
  /**
   * Sentinel mode: ACL users of the Sentinels themselves (`user ...` lines of sentinel.conf),
   * for REDIS_SENTINEL_USERNAME; with them `default` is off there too and the Sentinels log
   * in to each other as the harness's admin (sentinel sentinel-user/sentinel-pass).
   */
  sentinelAclUsers?: string[];
}

const READY_TIMEOUT_MS = 20_000;
const FAILOVER_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;
/** Set through SENTINEL DEBUG on each sentinel start (in-memory only). The defaults (INFO every
 * 10 s, hello every 2 s) make a restarted old master wait 8-10 s before Sentinel turns it into a
 * replica and peers take 2 s to meet; these make both ~1-2 s. Failure detection is unchanged
 * (downAfterMs); peers do learn a new master sooner, so client recovery is slightly faster. */
const SENTINEL_TIMERS = ['INFO-PERIOD', 1000, 'PUBLISH-PERIOD', 500];

const liveTopologies = new Set<RedisTopology>();
let exitHookInstalled = false;

/** Synchronously SIGKILLs every process of every topology not yet stopped (for signal handlers
 * of long-running scripts; installed as a process 'exit' hook on first start). */
export function killAllTopologiesSync(): void {
  for (const topology of liveTopologies) topology.killSync();
}

const key = (a: NodeAddress): string => `${a.host}:${a.port}`;

/** Flat [field, value, ...] reply (SENTINEL MASTER / REPLICAS entries) → record. */
function pairs(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** Config lines per node kind. Data nodes keep nothing on disk (each in its own dir anyway) and
 * sync replicas without the default 5 s diskless delay; BullMQ needs noeviction. */
function nodeConfigs(opts: TopologyOptions, ports: number[], replicas: number, security: Security) {
  const name = opts.masterName ?? 'tollgate';
  const quorum = Math.floor((ports.length - 1 - replicas) / 2) + 1;
  const data = [
    ...security.tlsLines,
    ...(security.aclFile
      ? [
          `aclfile "${security.aclFile}"`,
          `masteruser ${HARNESS_ACL.replica.username}`,
          `masterauth ${security.password}`,
        ]
      : []),
    'save ""',
    'appendonly no',
    'dbfilename dump.rdb',
    'repl-diskless-sync yes',
    'repl-diskless-sync-delay 0',
    'maxmemory-policy noeviction',
    ...(opts.extraConfig ?? []),
  ];
  const sentinel = [
    'sentinel resolve-hostnames no',
    `sentinel monitor ${name} ${LOOPBACK} ${ports[0]} ${quorum}`,
    `sentinel down-after-milliseconds ${name} ${opts.downAfterMs ?? 1000}`,
    `sentinel failover-timeout ${name} ${opts.failoverTimeoutMs ?? 5000}`,
    `sentinel parallel-syncs ${name} 1`,
    ...(security.aclFile
      ? [
          `sentinel auth-user ${name} ${HARNESS_ACL.sentinel.username}`,
          `sentinel auth-pass ${name} ${security.password}`,
        ]
      : []),
  ];
  return {
    name,
    data,
    replica: [...data, `replicaof ${LOOPBACK} ${ports[0]}`],
    sentinel: [...security.tlsLines, ...sentinel, ...security.sentinelLines],
  };
}

export class RedisTopology {
  readonly dataNodes: RedisProcessHandle[];
  readonly sentinelNodes: RedisProcessHandle[];
  private knownMaster: NodeAddress;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly mode: TopologyMode,
    readonly masterName: string,
    readonly dir: string,
    private readonly data: RedisNodeProcess[],
    private readonly sentinels: RedisNodeProcess[],
    private readonly security: Security,
  ) {
    this.dataNodes = data;
    this.sentinelNodes = sentinels;
    this.knownMaster = data[0].address;
  }

  /** Resolves once usable: PING (standalone), or replicas in sync and every sentinel seeing the
   * master, all replicas and all other sentinels. Retries on a port race; cleans up on failure. */
  static async start(opts: TopologyOptions): Promise<RedisTopology> {
    for (let attempt = 1; ; attempt++) {
      const topology = await RedisTopology.create(opts);
      try {
        await topology.bringUp();
        return topology;
      } catch (err) {
        await topology.stop();
        if (!(err instanceof PortInUseError) || attempt >= START_ATTEMPTS) throw err;
      }
    }
  }

  private static async create(opts: TopologyOptions): Promise<RedisTopology> {
    const sentinelMode = opts.mode === 'sentinel';
    const replicas = sentinelMode ? (opts.replicas ?? 2) : 0;
    const ports = await freePorts(1 + replicas + (sentinelMode ? (opts.sentinels ?? 3) : 0));
    mkdirSync(opts.baseDir ?? os.tmpdir(), { recursive: true });
    const dir = mkdtempSync(path.join(opts.baseDir ?? os.tmpdir(), 'tollgate-redis-'));
    const security = prepareSecurity(opts, dir);
    const config = nodeConfigs(opts, ports, replicas, security);
    const node = (role: 'data' | 'sentinel', port: number, lines: string[]): RedisNodeProcess => {
      const access = role === 'data' ? security.dataAccess : security.sentinelAccess;
      return new RedisNodeProcess(role, port, path.join(dir, `${role}-${port}`), lines, access);
    };
    const data = ports
      .slice(0, 1 + replicas)
      .map((port, i) => node('data', port, i === 0 ? config.data : config.replica));
    const sentinels = ports
      .slice(1 + replicas)
      .map((port) => node('sentinel', port, config.sentinel));
    const topology = new RedisTopology(opts.mode, config.name, dir, data, sentinels, security);
    liveTopologies.add(topology);
    if (!exitHookInstalled) process.on('exit', killAllTopologiesSync);
    exitHookInstalled = true;
    return topology;
  }

  /** A sentinel discovers replicas from the master's INFO, so sentinels start only once the
   * replicas are attached and see them at once. */
  private async bringUp(): Promise<void> {
    const [master, ...replicas] = this.data;
    master.start();
    await master.waitReady(READY_TIMEOUT_MS);
    replicas.forEach((node) => node.start());
    await Promise.all(replicas.map((node) => node.waitReady(READY_TIMEOUT_MS)));
    await Promise.all(replicas.map((node) => this.waitReplicaInSync(node)));
    await Promise.all(this.sentinels.map((node) => this.startSentinel(node)));
    await Promise.all(this.sentinels.map((node) => this.waitSentinelSeesAll(node)));
  }

  private async startSentinel(node: RedisNodeProcess): Promise<void> {
    node.start();
    await node.waitReady(READY_TIMEOUT_MS);
    await node.call((c) => c.call('SENTINEL', 'DEBUG', ...SENTINEL_TIMERS));
  }

  /** Waits until the node is a replica whose link to its master is up. */
  async waitReplicaInSync(node: RedisProcessHandle, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const proc = this.node(node.port);
    await pollUntil(
      `${proc.describe()} to be an in-sync replica`,
      timeoutMs,
      async () => {
        const info = parseInfo(await proc.call((c) => c.info('replication')));
        return (info.role === 'slave' && info.master_link_status === 'up') || undefined;
      },
      () => proc.logTail(),
    );
  }

  private async waitSentinelSeesAll(sentinel: RedisNodeProcess): Promise<void> {
    const [replicas, peers] = [this.data.length - 1, this.sentinels.length - 1];
    await pollUntil(
      `${sentinel.describe()} to see the master, ${replicas} replicas and ${peers} peers`,
      READY_TIMEOUT_MS,
      async () => {
        const [master, replicaList] = await sentinel.call(async (c) => [
          pairs(await c.call('SENTINEL', 'MASTER', this.masterName)),
          await c.call('SENTINEL', 'REPLICAS', this.masterName),
        ]);
        const linked = Array.isArray(replicaList)
          ? replicaList.map(pairs).filter((r) => r.flags === 'slave').length
          : 0;
        const otherSentinels = Number(master['num-other-sentinels']);
        return (
          (master.flags === 'master' && linked === replicas && otherSentinels === peers) ||
          undefined
        );
      },
      () => sentinel.logTail(),
    );
  }

  sentinelAddresses(): NodeAddress[] {
    return this.sentinels.map((node) => node.address);
  }

  /** Sentinel mode: the master last learned by start(), currentMaster() or waitForFailover().
   * `rediss://` with TLS. */
  redisUrl(): string {
    return `${this.security.tls ? 'rediss' : 'redis'}://${key(this.knownMaster)}`;
  }

  /** The certificate files of a `tls` topology (caFile is what clients must trust). */
  get tlsFiles(): ServerCertificate | undefined {
    return this.security.tls;
  }

  /** The app's REDIS_* settings for this topology (no ACL user: the caller picks one). */
  env(): Record<string, string> {
    const tls: Record<string, string> = this.security.tls
      ? { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: this.security.tls.caFile }
      : {};
    if (this.mode === 'standalone')
      return { REDIS_MODE: 'standalone', REDIS_URL: this.redisUrl(), ...tls };
    return {
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: this.sentinelAddresses().map(key).join(','),
      REDIS_MASTER_NAME: this.masterName,
      ...tls,
    };
  }

  /** ioredis options with which a test reaches a data node as the harness's admin (TLS and
   * ACL user as configured); the caller owns the client. */
  adminOptions(node: NodeAddress): RedisOptions {
    return { host: node.host, port: node.port, lazyConnect: true, ...this.security.dataAccess };
  }

  /** The same for a Sentinel (TLS, and the admin user when `sentinelAclUsers` is set). */
  sentinelAdminOptions(node: NodeAddress): RedisOptions {
    return { host: node.host, port: node.port, lazyConnect: true, ...this.security.sentinelAccess };
  }

  async currentMaster(): Promise<NodeAddress> {
    if (this.mode === 'standalone') return this.data[0].address;
    for (const sentinel of this.sentinels.filter((s) => s.alive())) {
      const addr = await this.askSentinel(sentinel).catch(() => undefined);
      if (addr) return (this.knownMaster = addr);
    }
    throw new Error(`No live sentinel named a master for ${this.masterName}`);
  }

  async killMaster(signal: NodeJS.Signals = 'SIGKILL'): Promise<NodeAddress> {
    const master = await this.currentMaster();
    await this.stopNode(master.port, signal);
    return master;
  }

  /** Resolves once a majority of live sentinels name the same master other than `from` and
   * that node reports role:master. */
  async waitForFailover(from: NodeAddress, timeoutMs = FAILOVER_TIMEOUT_MS): Promise<NodeAddress> {
    const live = (): RedisNodeProcess[] => this.sentinels.filter((s) => s.alive());
    const probe = async (): Promise<NodeAddress | undefined> => {
      const asked = live();
      const answers = await Promise.all(asked.map((s) => this.askSentinel(s).catch(() => null)));
      const named = answers.filter((a): a is NodeAddress => a !== null && key(a) !== key(from));
      const votes = (a: NodeAddress): number => named.filter((b) => key(b) === key(a)).length;
      const winner = named.find((a) => votes(a) > asked.length / 2);
      if (!winner) return undefined;
      const info = parseInfo(await this.node(winner.port).call((c) => c.info('replication')));
      return info.role === 'master' ? (this.knownMaster = winner) : undefined;
    };
    const logs = (): string => this.sentinels.map((s) => s.logTail(15)).join('\n');
    return pollUntil(`failover away from ${key(from)}`, timeoutMs, probe, logs);
  }

  /** Signals the node by PID (default SIGTERM, SIGKILL after 2 s) and waits for its exit. */
  async stopNode(port: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.node(port).stop(signal);
  }

  /** Starts the node with its (maybe Sentinel-rewritten) config file and waits for PING. A data
   * node restarted after a failover comes up as an empty master until Sentinel turns it into a
   * replica (~1-2 s; waitReplicaInSync() waits for it). A master restarted before Sentinel
   * noticed its death stays master and its replicas resync from it, empty. */
  async restartNode(port: number): Promise<void> {
    const node = this.node(port);
    if (node.role === 'sentinel') return this.startSentinel(node);
    node.start();
    await node.waitReady(READY_TIMEOUT_MS);
  }

  pauseNode(port: number): void {
    this.node(port).pause();
  }

  resumeNode(port: number): void {
    this.node(port).resume();
  }

  /** Stops every process (SIGTERM, SIGKILL after 1 s) and removes the dir. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.all().map((node) => node.stop('SIGTERM', 1000)));
      liveTopologies.delete(this);
      rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  /** Synchronous last resort for exit hooks; prefer stop(). */
  killSync(): void {
    this.all().forEach((node) => node.killSync());
  }

  private all(): RedisNodeProcess[] {
    return [...this.sentinels, ...this.data];
  }

  private node(port: number): RedisNodeProcess {
    const node = this.all().find((n) => n.port === port);
    if (!node) throw new Error(`No node on port ${port} in this topology (${this.dir})`);
    return node;
  }

  private async askSentinel(sentinel: RedisNodeProcess): Promise<NodeAddress> {
    const reply = await sentinel.call((c) =>
      c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName),
    );
    if (!Array.isArray(reply) || reply.length !== 2) {
      throw new Error(`${sentinel.describe()} does not know master ${this.masterName}`);
    }
    return { host: String(reply[0]), port: Number(reply[1]) };
  }
}
