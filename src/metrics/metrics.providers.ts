import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { METRIC } from './metric-names';

export const metricProviders = [
  makeHistogramProvider({
    name: METRIC.httpDuration,
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  makeGaugeProvider({
    name: METRIC.redisState,
    help: 'Redis connection state per client (1 for the current state, 0 otherwise)',
    labelNames: ['client', 'state'],
  }),
  makeCounterProvider({
    name: METRIC.redisReconnects,
    help: 'Reconnect attempts per Redis client',
    labelNames: ['client'],
  }),
];
