import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { register } from 'prom-client';
import { DependencyReport } from '../health/dependency-report';
import { ManagementGuard } from './management.guard';
import { SkipRateLimit } from '../ratelimit/rate-limit.decorator';

/**
 * /metrics and /health/dependencies on the main port, behind the admin credential. Only
 * mounted while MANAGEMENT_PORT is unset; with it they live on the management listener.
 */
@Controller()
@SkipRateLimit()
@UseGuards(ManagementGuard)
export class ManagementController {
  constructor(private readonly dependencies: DependencyReport) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('Content-Type', register.contentType);
    return register.metrics();
  }

  @Get('health/dependencies')
  @Header('Cache-Control', 'no-store')
  dependencyReport() {
    return this.dependencies.build();
  }
}
