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
