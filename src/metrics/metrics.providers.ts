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
  makeCounterProvider({
    name: METRIC.tokensIssued,
    help: 'Access tokens issued, by grant type',
    labelNames: ['grant_type'],
  }),
  makeCounterProvider({
    name: METRIC.introspections,
    help: 'Token introspections, by result (active, inactive)',
    labelNames: ['result'],
  }),
  makeCounterProvider({
    name: METRIC.revocations,
    help: 'Token revocation requests, by token type found (access_token, refresh_token, none)',
    labelNames: ['token_type'],
  }),
  makeCounterProvider({
    name: METRIC.refreshReuse,
    help: 'Reuse of a rotated refresh token detected (the whole family was revoked)',
  }),
  makeHistogramProvider({
    name: METRIC.tokenEndpointDuration,
    help: 'Token endpoint latency in seconds, by grant type and outcome',
    labelNames: ['grant_type', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  }),
  makeCounterProvider({
    name: METRIC.durableWriteFailures,
    help: 'Writes that fewer replicas than REDIS_WRITE_REPLICAS acknowledged (answered 503)',
  }),
  makeGaugeProvider({
    name: METRIC.writeReplicas,
    help: 'Replicas that must acknowledge each durable write (REDIS_WRITE_REPLICAS; 0 = no WAIT)',
  }),
  makeCounterProvider({
    name: METRIC.durableWriteRefusals,
    help: 'Durable writes refused at once (503, no WAIT sent) because too few replicas can acknowledge',
  }),
  makeGaugeProvider({
    name: METRIC.durabilitySatisfiable,
    help: 'Whether durable writes can be confirmed now (1) or are refused or unconfirmable (0); 1 with REDIS_WRITE_REPLICAS=0',
  }),
  makeHistogramProvider({
    name: METRIC.durableWriteBatch,
    help: 'Durable writes covered by one WAIT (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
  }),
  makeCounterProvider({
    name: METRIC.sessions,
    help: 'Browser sessions by event: created (login, rotation), ended (logout, admin, rotation)',
    labelNames: ['event'],
  }),
  makeCounterProvider({
    name: METRIC.cacheLookups,
    help: 'Service cache reads by service and result (hit, miss; a 304 is a hit)',
    labelNames: ['service', 'result'],
  }),
  makeCounterProvider({
    name: METRIC.cacheWrites,
    help: 'Service cache writes by service and result (created, replaced)',
    labelNames: ['service', 'result'],
  }),
  makeCounterProvider({
    name: METRIC.cacheEvictions,
    help: 'Service cache entries evicted (least recently used) because the service was full',
    labelNames: ['service'],
  }),
  // Cleanup jobs (src/jobs). The label is `job_name`, not `job`: Prometheus owns `job` (the
  // scrape job) and would rename ours to `exported_job`.
  makeCounterProvider({
    name: METRIC.jobRuns,
    help: 'Cleanup job runs on this instance, by job and result (success, failure)',
    labelNames: ['job_name', 'result'],
  }),
  makeHistogramProvider({
    name: METRIC.jobDuration,
    help: 'Cleanup job run duration in seconds, by job',
    labelNames: ['job_name'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
  }),
  makeCounterProvider({
    name: METRIC.jobItemsRemoved,
    help: 'Expired index entries removed by cleanup job runs on this instance, by job',
    labelNames: ['job_name'],
  }),
  makeGaugeProvider({
    name: METRIC.jobLastSuccess,
    help: 'Unix time of the last successful run of each cleanup job on any instance (until the first run: when its schedule was first registered)',
    labelNames: ['job_name'],
  }),
  makeGaugeProvider({
    name: METRIC.jobInterval,
    help: 'Configured interval of each cleanup job in seconds',
    labelNames: ['job_name'],
  }),
  makeCounterProvider({
    name: METRIC.rateLimitDecisions,
    help: 'Rate limiter decisions by scope (client, ip, default, login) and decision (allowed, limited, fail_open, fail_closed)',
    labelNames: ['scope', 'decision'],
  }),
  makeCounterProvider({
    name: METRIC.logins,
    help: 'Sign-in attempts on the login page, by result (ok, failed)',
    labelNames: ['result'],
  }),
  makeCounterProvider({
    name: METRIC.consents,
    help: 'Consent decisions, by decision (granted, denied, remembered: page skipped)',
    labelNames: ['decision'],
  }),
  makeCounterProvider({
    name: METRIC.authorizationCodes,
    help: 'Authorization codes, by event (issued, redeemed, replayed: tokens revoked)',
    labelNames: ['event'],
  }),
];
