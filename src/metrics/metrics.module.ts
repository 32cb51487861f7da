import { Controller, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { ConfigMetrics } from './config-metrics';
import { HttpMetricsHook } from './http-metrics.hook';
import { metricProviders } from './metrics.providers';

/** PrometheusModule's own /metrics route is replaced by src/management (never public). */
@Controller()
class NoPublicMetricsRoute {}

/** Default process metrics and our own metrics, in prom-client's default registry. */
@Module({
  imports: [
    PrometheusModule.register({
      controller: NoPublicMetricsRoute,
      defaultMetrics: { enabled: true },
    }),
  ],
  providers: [...metricProviders, HttpMetricsHook, ConfigMetrics],
  exports: [...metricProviders],
})
export class MetricsModule {}
