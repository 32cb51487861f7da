import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Gauge } from 'prom-client';
import { METRIC, REDIS_STATES } from '../metrics/metric-names';
import type { ConnectionState } from './connection-state';
import type { ConnectionObserver } from './redis-connection';

/** Records connection state changes and reconnects in the metrics of metrics/. */
@Injectable()
export class RedisMetricsObserver implements ConnectionObserver {
  constructor(
    @InjectMetric(METRIC.redisState) private readonly state: Gauge<string>,
    @InjectMetric(METRIC.redisReconnects) private readonly reconnects: Counter<string>,
  ) {}

  onState(client: string, current: ConnectionState): void {
    for (const s of REDIS_STATES) this.state.set({ client, state: s }, s === current ? 1 : 0);
  }

  onReconnect(client: string): void {
    this.reconnects.inc({ client });
  }
}
