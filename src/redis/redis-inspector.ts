import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { ConnectionSnapshot } from './connection-state';
import { readEvictionPolicy } from './eviction-policy';
import { tlsOptions } from './redis-options';
import { RedisConnection } from './redis-connection';
import { REDIS_AUTH_CONNECTION, REDIS_CACHE_CONNECTION } from './redis.tokens';

export type LatencyClass = 'fast' | 'normal' | 'slow';

export interface ClientReport extends ConnectionSnapshot {
  readonly address: string | null;
  readonly pingMs: number | null;
  readonly latencyClass: LatencyClass | null;
  readonly role: string | null;
  readonly usedMemory: string | null;
  readonly connectedClients: number | null;
  readonly hitRatio: number | null;
  /** The server's maxmemory-policy; null when unknown (not connected, or ACL). */
  readonly maxmemoryPolicy: string | null;
  /** Set when the policy is not `noeviction` or cannot be read: why that matters. */
  readonly warning?: string;
}

export interface SentinelView {
  readonly sentinel: string;
  readonly master: string | null;
  readonly flags: string | null;
  readonly replicas: number | null;
  readonly otherSentinels: number | null;
  readonly error?: string;
}

export interface SentinelReport {
  /** The master a majority of Sentinels name; null while they disagree or are down. */
  readonly master: string | null;
  readonly sentinels: readonly SentinelView[];
}

/** Latency classes of /health/dependencies: under 5 ms fast, under 50 ms normal. */
export function classifyLatency(ms: number): LatencyClass {
  return ms < 5 ? 'fast' : ms < 50 ? 'normal' : 'slow';
}

function infoField(info: string, field: string): string | null {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m ? m[1].trim() : null;
}

/** Reads what operators need to see about each client and the Sentinel's view. */
@Injectable()
export class RedisInspector {
  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_AUTH_CONNECTION) private readonly auth: RedisConnection,
    @Inject(REDIS_CACHE_CONNECTION) private readonly cache: RedisConnection,
  ) {}

  /** PING on the auth DB; resolves with the latency in ms or rejects. */
  async pingAuth(): Promise<number> {
    const start = process.hrtime.bigint();
    await this.auth.client.ping();
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  async clients(): Promise<ClientReport[]> {
    return Promise.all([this.report(this.auth), this.report(this.cache)]);
  }

  private async report(conn: RedisConnection): Promise<ClientReport> {
    const base = conn.snapshot();
    const stream = (
      conn.client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }
    ).stream;
    const empty = {
      pingMs: null,
      latencyClass: null,
      role: null,
      usedMemory: null,
      maxmemoryPolicy: null,
    };
    const address = stream?.remoteAddress ? `${stream.remoteAddress}:${stream.remotePort}` : null;
    if (!conn.isReady()) {
      return { ...base, ...empty, address: null, connectedClients: null, hitRatio: null };
    }
    try {
      const start = process.hrtime.bigint();
      await conn.client.ping();
      const pingMs = Number(process.hrtime.bigint() - start) / 1e6;
      const info = await conn.client.info();
      const hits = Number(infoField(info, 'keyspace_hits') ?? 0);
      const misses = Number(infoField(info, 'keyspace_misses') ?? 0);
      const eviction = await readEvictionPolicy(conn.client, conn.name);
      return {
        ...base,
        address,
        pingMs: Math.round(pingMs * 1000) / 1000,
        latencyClass: classifyLatency(pingMs),
        role: infoField(info, 'role'),
        usedMemory: infoField(info, 'used_memory_human'),
        connectedClients: Number(infoField(info, 'connected_clients') ?? NaN),
        hitRatio: hits + misses === 0 ? null : hits / (hits + misses),
        maxmemoryPolicy: eviction.policy,
        ...(eviction.status === 'ok' ? {} : { warning: eviction.warning }),
      };
    } catch (err) {
      return {
        ...base,
        ...empty,
        address,
        connectedClients: null,
        hitRatio: null,
        lastError: (err as Error).message,
      };
    }
  }

  /**
   * Every configured Sentinel's view of the master, asked concurrently, plus the view a
   * majority agrees on (what a failing-over cluster will converge to); null in standalone.
   */
  async sentinelView(): Promise<SentinelReport | null> {
    const { mode, sentinels } = this.config.redis;
    if (mode !== 'sentinel') return null;
    const views = await Promise.all(sentinels.map((s) => this.askSentinel(s.host, s.port)));
    const votes = new Map<string, number>();
    for (const v of views) if (v.master) votes.set(v.master, (votes.get(v.master) ?? 0) + 1);
    const [top] = [...votes.entries()].sort((a, b) => b[1] - a[1]);
    const master = top && top[1] > sentinels.length / 2 ? top[0] : null;
    return { master, sentinels: views };
  }

  private async askSentinel(host: string, port: number): Promise<SentinelView> {
    const client = new Redis({
      host,
      port,
      username: this.config.redis.sentinelUsername,
      password: this.config.redis.sentinelPassword,
      // The Sentinels speak TLS when the data nodes do (REDIS_TLS covers both, like ioredis's
      // enableTLSForSentinelMode); without it every Sentinel showed "Connection is closed."
      tls: tlsOptions(this.config.redis),
      lazyConnect: true,
      connectTimeout: 1000,
      commandTimeout: 1000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const sentinel = `${host}:${port}`;
    try {
      await client.connect();
      const fields = (await client.call(
        'SENTINEL',
        'MASTER',
        this.config.redis.masterName,
      )) as string[];
      const get = (k: string) => fields[fields.indexOf(k) + 1] ?? null;
      return {
        sentinel,
        master: `${get('ip')}:${get('port')}`,
        flags: get('flags'),
        replicas: Number(get('num-slaves')),
        otherSentinels: Number(get('num-other-sentinels')),
      };
    } catch (err) {
      const error = (err as Error).message;
      return { sentinel, master: null, flags: null, replicas: null, otherSentinels: null, error };
    } finally {
      client.disconnect();
    }
  }
}
