/**
 * Every metric tollgate exports: name, help, labels and buckets are defined here and
 * nowhere else (STYLE.md). Services inject them with @InjectMetric(name) and record
 * with explicit calls.
 */
export const METRIC = {
  httpDuration: 'tollgate_http_request_duration_seconds',
  redisState: 'tollgate_redis_connection_state',
  redisReconnects: 'tollgate_redis_reconnects_total',
} as const;

/** Connection states exported as the `state` label; value 1 marks the current one. */
export const REDIS_STATES = ['disconnected', 'connecting', 'connected', 'failed'] as const;
