import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { METRIC } from './metric-names';

/**
 * Exports settings that alerts compare live values against: the replica count durable
 * writes wait for, so "fewer connected replicas than REDIS_WRITE_REPLICAS" (every durable
 * write failing) can alert before clients see 503s (deploy/prometheus/rules/tollgate.yml).
 */
@Injectable()
export class ConfigMetrics implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    @InjectMetric(METRIC.writeReplicas) private readonly writeReplicas: Gauge<string>,
  ) {}

  onModuleInit(): void {
    this.writeReplicas.set(this.config.redis.writeReplicas);
  }
}
