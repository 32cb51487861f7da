import { Injectable } from '@nestjs/common';
import { ClientReport, RedisInspector, SentinelReport } from '../redis/redis-inspector';

export interface DependencyReportBody {
  readonly status: 'healthy' | 'degraded';
  readonly timestamp: string;
  /** Loud configuration problems (a maxmemory-policy that evicts, or one we cannot read). */
  readonly warnings: string[];
  readonly redis: { clients: ClientReport[]; sentinel: SentinelReport | null };
}

/**
 * What operators see at /health/dependencies (management listener or admin credential only:
 * it names addresses, roles and errors). A client counts as healthy only when its PING
 * answered: a frozen master keeps its sockets open and stays "connected" (SIGSTOP, a
 * partition), so the state alone would say healthy while nothing works; the PING is bounded
 * by REDIS_COMMAND_TIMEOUT_MS.
 */
@Injectable()
export class DependencyReport {
  constructor(private readonly inspector: RedisInspector) {}

  async build(): Promise<DependencyReportBody> {
    const [clients, sentinel] = await Promise.all([
      this.inspector.clients(),
      this.inspector.sentinelView(),
    ]);
    const ok = clients.every((c) => c.state === 'connected' && c.pingMs !== null);
    return {
      status: ok ? 'healthy' : 'degraded',
      timestamp: new Date().toISOString(),
      warnings: clients.flatMap((c) => (c.warning ? [c.warning] : [])),
      redis: { clients, sentinel },
    };
  }
}
