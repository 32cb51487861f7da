import { Controller, Get, Header } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { RedisInspector } from '../redis/redis-inspector';
import { RedisHealthIndicator } from './redis-health.indicator';

/** Liveness, readiness and a dependency report for operators (ARCHITECTURE.md, HTTP surface). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly inspector: RedisInspector,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  status() {
    return { status: 'healthy', service: 'tollgate', timestamp: new Date().toISOString() };
  }

  /** 200 while the process runs: Redis outages must not make Kubernetes restart us. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 503 while DB 0 does not answer PING: this server cannot issue tokens without it. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.redis.authDb()]);
  }

  @Get('dependencies')
  @Header('Cache-Control', 'no-store')
  async dependencies() {
    const [clients, sentinel] = await Promise.all([
      this.inspector.clients(),
      this.inspector.sentinelView(),
    ]);
    const ok = clients.every((c) => c.state === 'connected');
    return {
      status: ok ? 'healthy' : 'degraded',
      timestamp: new Date().toISOString(),
      redis: { clients, sentinel },
    };
  }
}
