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
  cacheLookups: 'tollgate_cache_lookups_total',
  cacheWrites: 'tollgate_cache_writes_total',
  cacheEvictions: 'tollgate_cache_evictions_total',
  jobRuns: 'tollgate_job_runs_total',
  jobDuration: 'tollgate_job_duration_seconds',
  jobItemsRemoved: 'tollgate_job_items_removed_total',
  jobLastSuccess: 'tollgate_job_last_success_timestamp_seconds',
  jobInterval: 'tollgate_job_interval_seconds',
  rateLimitDecisions: 'tollgate_rate_limit_decisions_total',
  logins: 'tollgate_logins_total',
  consents: 'tollgate_consents_total',
  authorizationCodes: 'tollgate_authorization_codes_total',
} as const;

/** Connection states exported as the `state` label; value 1 marks the current one. */
/**
 * Decisions of the rate limiter (label `decision`): allowed, limited (429), and, while Redis
 * cannot be reached, fail_open (allowed unchecked) or fail_closed (refused with 503).
 */
export const RATE_LIMIT_DECISIONS = ['allowed', 'limited', 'fail_open', 'fail_closed'] as const;
export const RATE_LIMIT_SCOPES = ['client', 'ip', 'default', 'login'] as const;

export const REDIS_STATES = ['disconnected', 'connecting', 'connected', 'failed'] as const;
