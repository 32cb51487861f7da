import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyReport } from './dependency-report';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis-health.indicator';

/** Public probes (Terminus); the dependency report is exported for the management endpoints. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, DependencyReport],
  exports: [DependencyReport],
})
export class HealthModule {}
