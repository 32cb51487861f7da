import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { ConnectionSnapshot } from './connection-state';
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
}

export interface SentinelView {
  readonly sentinel: string;
  readonly master: string | null;
  readonly flags: string | null;
  readonly replicas: number | null;
  readonly otherSentinels: number | null;
  readonly error?: string;
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
    const stream = (conn.client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } })
      .stream;
    const empty = { pingMs: null, latencyClass: null, role: null, usedMemory: null };
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
      return {
        ...base,
        address,
        pingMs: Math.round(pingMs * 1000) / 1000,
        latencyClass: classifyLatency(pingMs),
        role: infoField(info, 'role'),
        usedMemory: infoField(info, 'used_memory_human'),
        connectedClients: Number(infoField(info, 'connected_clients') ?? NaN),
        hitRatio: hits + misses === 0 ? null : hits / (hits + misses),
      };
    } catch (err) {
      return { ...base, ...empty, address, connectedClients: null, hitRatio: null, lastError: (err as Error).message };
    }
  }

  /** The first answering Sentinel's view of the master; null in standalone mode. */
  async sentinelView(): Promise<SentinelView | null> {
    const { mode, sentinels, masterName } = this.config.redis;
    if (mode !== 'sentinel') return null;
    let lastError = 'no sentinel configured';
    for (const s of sentinels) {
      const client = new Redis({
        host: s.host,
        port: s.port,
        username: this.config.redis.sentinelUsername,
        password: this.config.redis.sentinelPassword,
        lazyConnect: true,
        connectTimeout: 1000,
        commandTimeout: 1000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: true,
      });
      try {
        const fields = (await client.call('SENTINEL', 'MASTER', masterName)) as string[];
        const get = (k: string) => fields[fields.indexOf(k) + 1] ?? null;
        return {
          sentinel: `${s.host}:${s.port}`,
          master: `${get('ip')}:${get('port')}`,
          flags: get('flags'),
          replicas: Number(get('num-slaves')),
          otherSentinels: Number(get('num-other-sentinels')),
        };
      } catch (err) {
        lastError = (err as Error).message;
      } finally {
        client.disconnect();
      }
    }
    return { sentinel: 'none', master: null, flags: null, replicas: null, otherSentinels: null, error: lastError };
  }
}
