/**
 * The key schema: the ONLY place Redis key names are built (ARCHITECTURE.md, "Key schema").
 * Every key has exactly one Redis type, named beside its builder, so no code path can
 * write a string where another reads a hash (the WRONGTYPE bugs peers hit).
 *
 * Tokens and codes are addressed by the SHA-256 digest of their value, never the value.
 * Cluster note: scripts that touch several keys get them through KEYS; before cluster
 * mode lands, related keys will gain a shared hash tag here and nowhere else.
 * Builders are added with the feature that uses them (users, sessions, rate limits and the
 * service cache of ARCHITECTURE.md's key table arrive with their issues).
 */
export const keys = {
  /** hash: client record */
  client: (clientId: string) => `auth:client:${clientId}`,
  /** set: ids of every registered client (listing without SCAN) */
  clientIndex: () => 'auth:clients',
  /**
   * pub/sub channel, not a key: every write to a client publishes its id here (inside the
   * writing script or MULTI), so each instance evicts it from its in-process client cache.
   * Pub/sub ignores the DB number: the name carries the `auth:` prefix to stay unique.
   */
  clientChangesChannel: () => 'auth:client_changes',
  /** hash, single use, TTL = code lifetime */
  code: (digest: string) => `auth:code:${digest}`,
  /** hash, TTL = access token lifetime */
  accessToken: (digest: string) => `auth:access_token:${digest}`,
  /** hash (carries its rotation family id), TTL = refresh token lifetime */
  refreshToken: (digest: string) => `auth:refresh_token:${digest}`,
  /** set: digests (access and refresh) issued in one refresh-rotation family; TTL = family life */
  tokenFamily: (familyId: string) => `auth:token_family:${familyId}`,
  /** string, TTL = remaining token life */
  blacklist: (digest: string) => `auth:blacklist:${digest}`,
  /**
   * sorted set: every token key issued to a client (member = token key, score = expiry in
   * unix ms); trimmed of expired members on each write, TTL = its latest member's expiry
   */
  clientTokens: (clientId: string) => `auth:client_tokens:${clientId}`,
  /**
   * sorted set (member = token key, score = expiry ms), no TTL: the global cleanup index of
   * earlier versions. Nothing writes it any more; cleanupExpired drains what is left of it.
   */
  tokenCleanup: () => 'auth_token_cleanup',
  // --- users (resource owners and their token index, src/users) ---
  /** hash: user record (resource owner); no TTL */
  user: (userId: string) => `auth:user:${userId}`,
  /**
   * string: user id, the unique username index. `name` must already be lowercased
   * (normalizeUsername in users/), so "Alice" and "alice" are one name.
   */
  username: (name: string) => `auth:username:${name}`,
  /** set: ids of every user (listing without SCAN) */
  userIndex: () => 'auth:users',
  /**
   * sorted set: every token key issued for a user (member = token key, score = expiry in unix
   * ms), like clientTokens: trimmed of expired members on each write, TTL = its latest
   * member's expiry. Lets disabling or deleting a user revoke their tokens.
   */
  userTokens: (userId: string) => `auth:user_tokens:${userId}`,
  // --- end users ---
  /** hash: counters */
  authStats: () => 'auth_stats',
  // --- sessions (browser login sessions, src/sessions) ---
  /**
   * hash: one browser session, addressed by the SHA-256 digest of its id; TTL = session
   * lifetime, set at creation and never reset or dropped by an update
   */
  session: (digest: string) => `auth:session:${digest}`,
  /**
   * sorted set: every session key of a user (member = session key, score = expiry in unix
   * ms); trimmed of expired members on each write, TTL = its latest member's expiry
   */
  userSessions: (userId: string) => `auth:user_sessions:${userId}`,
  // --- end sessions ---
  // --- service cache (DB 1, src/cache) ---
  /**
   * hash {value, content_type, etag, updated_at}: one cached value of a service; TTL = the
   * entry's lifetime (CACHE_DEFAULT_TTL_SECONDS or the request's). `service` never contains
   * `:` (cache/cache-names.ts), so `{service}:{key}` splits unambiguously.
   */
  cacheResource: (service: string, key: string) => `cache:resource:${service}:${key}`,
  /**
   * sorted set: a service's LRU index (member = cache key, score = last access in Redis
   * server microseconds); TTL >= its longest-lived entry's, never shorter
   */
  cacheLru: (service: string) => `cache:lru:${service}`,
  /**
   * sorted set: a service's expiry index (member = cache key, score = expiry in Redis server
   * ms), same members and TTL rule as cacheLru; lets writes and the cleanup find expired members
   */
  cacheExpiry: (service: string) => `cache:expiry:${service}`,
  /** set: services that have (or had, until the cleanup runs) index entries */
  cacheServices: () => 'cache:services',
  /** hash: `{service}:hits`, `{service}:misses`, `{service}:evictions` counters */
  cacheStats: () => 'cache_stats',
  /** hash: runs, removed_total, last_removed, last_run_ms of the cache index cleanup */
  cacheCleanupMetrics: () => 'cache_cleanup_metrics',
  // --- end service cache ---
  // --- jobs (BullMQ cleanup jobs, src/jobs) ---
  /**
   * BullMQ's own `prefix` option (never ioredis keyPrefix): BullMQ keeps the queue, its job
   * schedulers and jobs under `tollgate_jobs:<queue>:*`, with types and TTLs of its choosing.
   */
  jobsPrefix: () => 'tollgate_jobs',
  /**
   * hash, no TTL: per cleanup job, across instances: `<job>:last_success_ms`,
   * `<job>:last_error`, `<job>:last_error_ms`, `<job>:runs`, `<job>:registered_ms`
   */
  jobsStatus: () => 'jobs_status',
  /** hash, no TTL: SSCAN cursor per swept id set (field = sweep name), so runs resume */
  jobCursors: () => 'jobs_cursors',
  // --- end jobs ---
  // --- rate limits (src/ratelimit, docs/rate-limiting.md) ---
  /**
   * string: the GCRA theoretical arrival time (unix microseconds) of one limited subject;
   * TTL = until its full quota is back (<= the window). `scope` is client, ip, default or
   * login; `subject` a client id, an IP address, or a username digest and IP.
   */
  rateLimit: (scope: string, subject: string) => `auth:rate_limit:${scope}:${subject}`,
  // --- end rate limits ---
  // --- authorize flow (src/auth/authorize, src/consents) ---
  /**
   * hash: a pending authorization request waiting for login or consent, addressed by the
   * SHA-256 digest of its id; TTL = INTERACTION_TTL_SECONDS, deleted when it completes
   */
  interaction: (digest: string) => `auth:interaction:${digest}`,
  /**
   * hash: a user's remembered consents (field = client id, value = granted scopes, space
   * separated); no TTL, deleted with the user
   */
  consent: (userId: string) => `auth:consent:${userId}`,
  // --- end authorize flow ---
} as const;
