import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobsBoard, JobsReportBody } from '../jobs/jobs-board';
import type { DurabilityReport } from '../redis/durability-monitor';
import { DurableWriter } from '../redis/durable-writer';
import { ClientReport, RedisInspector, SentinelReport } from '../redis/redis-inspector';

/** The auth client's entry also says whether durable writes can be confirmed now. */
export type DependencyClient = ClientReport & { readonly durability?: DurabilityReport };

export interface DependencyReportBody {
  readonly status: 'healthy' | 'degraded';
  readonly timestamp: string;
  /** Loud configuration problems (a maxmemory-policy that evicts, or one we cannot read). */
  readonly warnings: string[];
  readonly redis: { clients: DependencyClient[]; sentinel: SentinelReport | null };
  /** Cleanup jobs: worker state, each job's last successful run and last error (src/jobs). */
  readonly jobs: JobsReportBody;
}

/**
 * What operators see at /health/dependencies (management listener or admin credential only:
 * it names addresses, roles and errors). A client counts as healthy only when its PING
 * answered: a frozen master keeps its sockets open and stays "connected" (SIGSTOP, a
 * partition), so the state alone would say healthy while nothing works; the PING is bounded
 * by REDIS_COMMAND_TIMEOUT_MS. With REDIS_WRITE_REPLICAS > 0, too few replicas to confirm
 * durable writes is degraded too: no token can be issued then (docs/reliability.md). So is
 * an overdue cleanup job (docs/jobs.md).
 */
@Injectable()
export class DependencyReport {
  constructor(
    private readonly inspector: RedisInspector,
    private readonly writer: DurableWriter,
    private readonly config: AppConfig,
    @Optional() private readonly jobs?: JobsBoard,
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
    const jobs = this.jobs?.report(Date.now(), this.config.jobs.watchdogSlackMs) ?? {
      enabled: false,
    };
    const ok =
      clients.every((c) => c.state === 'connected' && c.pingMs !== null) &&
      durability.satisfiable &&
      !(jobs.jobs ?? []).some((job) => job.overdue);
    return {
      status: ok ? 'healthy' : 'degraded',
      timestamp: new Date().toISOString(),
      warnings: clients.flatMap((c) => (c.warning ? [c.warning] : [])),
      redis: { clients, sentinel },
      jobs,
    };
  }
}
