import { Injectable } from '@nestjs/common';
import type { DurabilityReport } from '../redis/durability-monitor';
import { DurableWriter } from '../redis/durable-writer';
import { ClientReport, RedisInspector, SentinelReport } from '../redis/redis-inspector';

/** The auth client's entry also says whether durable writes can be confirmed now. */
export type DependencyClient = ClientReport & { readonly durability?: DurabilityReport };

export interface DependencyReportBody {
  readonly status: 'healthy' | 'degraded';
  readonly timestamp: string;
  readonly redis: { clients: DependencyClient[]; sentinel: SentinelReport | null };
}

/**
 * What operators see at /health/dependencies (management listener or admin credential only:
 * it names addresses, roles and errors). A client counts as healthy only when its PING
 * answered: a frozen master keeps its sockets open and stays "connected" (SIGSTOP, a
 * partition), so the state alone would say healthy while nothing works; the PING is bounded
 * by REDIS_COMMAND_TIMEOUT_MS. With REDIS_WRITE_REPLICAS > 0, too few replicas to confirm
 * durable writes is degraded too: no token can be issued then (docs/reliability.md).
 */
@Injectable()
export class DependencyReport {
  constructor(
    private readonly inspector: RedisInspector,
    private readonly writer: DurableWriter,
  ) {}

  async build(): Promise<DependencyReportBody> {
    const [reports, sentinel] = await Promise.all([
      this.inspector.clients(),
      this.inspector.sentinelView(),
    ]);
    const durability = this.writer.durability();
    const clients: DependencyClient[] = reports.map((c) =>
      c.name === 'auth' ? { ...c, durability } : c,
    );
    const ok =
      clients.every((c) => c.state === 'connected' && c.pingMs !== null) && durability.satisfiable;
    return {
      status: ok ? 'healthy' : 'degraded',
      timestamp: new Date().toISOString(),
      redis: { clients, sentinel },
    };
  }
}
