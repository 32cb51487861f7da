import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobsBoard, JobsReportBody } from '../jobs/jobs-board';
import { ClientReport, RedisInspector, SentinelReport } from '../redis/redis-inspector';

export interface DependencyReportBody {
  readonly status: 'healthy' | 'degraded';
  readonly timestamp: string;
  /** Loud configuration problems (a maxmemory-policy that evicts, or one we cannot read). */
  readonly warnings: string[];
  readonly redis: { clients: ClientReport[]; sentinel: SentinelReport | null };
  /** Cleanup jobs: worker state, each job's last successful run and last error (src/jobs). */
  readonly jobs: JobsReportBody;
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
  constructor(
    private readonly inspector: RedisInspector,
    private readonly config: AppConfig,
    @Optional() private readonly jobs?: JobsBoard,
  ) {}

  async build(): Promise<DependencyReportBody> {
    const [clients, sentinel] = await Promise.all([
      this.inspector.clients(),
      this.inspector.sentinelView(),
    ]);
    const jobs = this.jobs?.report(Date.now(), this.config.jobs.watchdogSlackMs) ?? {
      enabled: false,
    };
    const ok =
      clients.every((c) => c.state === 'connected' && c.pingMs !== null) &&
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
