import { Module } from '@nestjs/common';
import { DependencyReport } from './dependency-report';
import { HealthController } from './health.controller';

/** Public probes; the dependency report is exported for the management endpoints. */
@Module({
  controllers: [HealthController],
  providers: [DependencyReport],
  exports: [DependencyReport],
})
export class HealthModule {}
