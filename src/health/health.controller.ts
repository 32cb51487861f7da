import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { RedisInspector } from '../redis/redis-inspector';

/**
 * Public probes (ARCHITECTURE.md, HTTP surface). They say up or not, never why: addresses,
 * roles and Redis error messages are on /health/dependencies, which is not public
 * (src/management).
 */
@Controller('health')
export class HealthController {
  constructor(private readonly inspector: RedisInspector) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  status() {
    return { status: 'healthy', service: 'tollgate', timestamp: new Date().toISOString() };
  }

  /** 200 while the process runs: Redis outages must not make Kubernetes restart us. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live() {
    return { status: 'ok' };
  }

  /** 503 while DB 0 does not answer PING: this server cannot issue tokens without it. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  async ready() {
    try {
      await this.inspector.pingAuth();
    } catch {
      throw new ServiceUnavailableException({
        status: 'unavailable',
        error: 'temporarily_unavailable',
        error_description: 'not ready to serve requests',
      });
    }
    return { status: 'ok' };
  }
}
