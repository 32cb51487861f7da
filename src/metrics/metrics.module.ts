import { Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HttpMetricsHook } from './http-metrics.hook';
import { metricProviders } from './metrics.providers';

/** `/metrics` in Prometheus text format, default process metrics, and our own metrics. */
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })],
  providers: [...metricProviders, HttpMetricsHook],
  exports: [...metricProviders],
})
export class MetricsModule {}
