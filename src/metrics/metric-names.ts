/**
 * Every metric tollgate exports: name, help, labels and buckets are defined here and
 * nowhere else (STYLE.md). Services inject them with @InjectMetric(name) and record
 * with explicit calls.
 */
export const METRIC = {
  httpDuration: 'tollgate_http_request_duration_seconds',
  redisState: 'tollgate_redis_connection_state',
  redisReconnects: 'tollgate_redis_reconnects_total',
  tokensIssued: 'tollgate_tokens_issued_total',
  introspections: 'tollgate_introspections_total',
  revocations: 'tollgate_revocations_total',
  refreshReuse: 'tollgate_refresh_token_reuse_total',
  tokenEndpointDuration: 'tollgate_token_endpoint_duration_seconds',
  durableWriteFailures: 'tollgate_durable_write_failures_total',
  writeReplicas: 'tollgate_redis_write_replicas',
  durableWriteRefusals: 'tollgate_durable_write_refusals_total',
  durabilitySatisfiable: 'tollgate_redis_durability_satisfiable',
  durableWriteBatch: 'tollgate_durable_write_batch_size',
  sessions: 'tollgate_sessions_total',
} as const;

/** Connection states exported as the `state` label; value 1 marks the current one. */
export const REDIS_STATES = ['disconnected', 'connecting', 'connected', 'failed'] as const;
