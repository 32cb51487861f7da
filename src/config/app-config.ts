import type { JobsConfig } from './jobs-config';

export type { JobScheduleConfig, JobsConfig } from './jobs-config';

/**
 * The typed, frozen settings every module reads. Built once from the validated
 * environment (see load-config.ts); modules never read process.env themselves.
 */
export type RedisMode = 'standalone' | 'sentinel';

export interface RedisConfig {
  readonly mode: RedisMode;
  readonly url: string;
  readonly sentinels: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  readonly masterName: string;
  readonly username?: string;
  readonly password?: string;
  readonly sentinelUsername?: string;
  readonly sentinelPassword?: string;
  /** BullMQ's connections (src/jobs) log in as this ACL user when set; else as `username`. */
  readonly jobsUsername?: string;
  readonly jobsPassword?: string;
  readonly tls: boolean;
  readonly tlsCaFile?: string;
  readonly authDb: number;
  readonly cacheDb: number;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly startupMaxAttempts: number;
  /** Replicas that must acknowledge a durable write (`WAIT n t`); 0 disables WAIT. */
  readonly writeReplicas: number;
  readonly writeTimeoutMs: number;
  /** ioredis `enableAutoPipelining` on the app's clients (see redis-options.ts). */
  readonly autoPipelining: boolean;
  /**
   * Where the cache client (DB `cacheDb`) connects when it is not the auth server: its own
   * Redis or Sentinel master (CACHE_REDIS_URL / CACHE_REDIS_SENTINELS). Credentials and TLS
   * are the ones above. Absent: the same server as DB 0.
   */
  readonly cacheServer?: RedisServer;
}

/** The connection target of a client: a standalone URL, or Sentinels and a master name. */
export type RedisServer = Pick<RedisConfig, 'mode' | 'url' | 'sentinels' | 'masterName'>;

/** Which peers may set X-Forwarded-*: none (false), the nearest n hops, or these IPs/CIDRs. */
export type TrustProxy = false | number | readonly string[];

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  readonly trustProxy: TrustProxy;
  /** Whole request (headers and body) must arrive within this; slow bodies are cut off. */
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** Idle socket timeout. */
  readonly connectionTimeoutMs: number;
  /** Concurrent connections per process; more are refused. */
  readonly maxConnections: number;
}

/** Where /metrics and /health/dependencies are served: their own port, or behind the admin credential. */
export interface ManagementConfig {
  readonly port?: number;
  readonly host: string;
}

export interface OAuthConfig {
  readonly issuer: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** A refresh rotation family ends this long after its first token, however often rotated. */
  readonly refreshTokenAbsoluteTtlSeconds: number;
  /** Re-presenting a just-rotated refresh token within this window is not reuse (0 = strict). */
  readonly refreshTokenReuseGraceSeconds: number;
  readonly authCodeTtlSeconds: number;
  readonly passwordGrantEnabled: boolean;
  readonly scopes: readonly string[];
  readonly clientSecretGraceSeconds: number;
  /** Upper bound on the age of an in-process client record (invalidation is by pub/sub). */
  readonly clientCacheTtlMs: number;
  readonly adminToken?: string;
  readonly clientsBootstrapFile?: string;
}

/** Password hashing of the user registry (users/password-hasher.ts, docs/security.md). */
export interface PasswordConfig {
  /** scrypt parameters for new hashes; stored hashes carry their own and keep verifying. */
  readonly scrypt: { readonly n: number; readonly r: number; readonly p: number };
  readonly minLength: number;
}

/** Browser login sessions (src/sessions, docs/security.md "Session model"). */
export interface SessionConfig {
  /** Fixed lifetime of a session from login; activity does not extend it. */
  readonly ttlSeconds: number;
  readonly cookie: {
    readonly name: string;
    /** The `Secure` attribute; false only for local http development. */
    readonly secure: boolean;
  };
}

/** The service cache API (src/cache, docs/cache.md). */
export interface CacheConfig {
  /** Lifetime of an entry whose PUT names none. */
  readonly defaultTtlSeconds: number;
  /** Largest lifetime a PUT may ask for (400 beyond). */
  readonly maxTtlSeconds: number;
  /** Largest value (413 beyond), refused while the body arrives. */
  readonly maxValueBytes: number;
  /** Entries per service; a write beyond it evicts the least recently used entry. */
  readonly maxEntriesPerService: number;
}

/** One rate limit: `limit` requests per window, the burst being the same number (GCRA). */
export interface RateLimitPolicy {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The rate limiter (src/ratelimit, docs/rate-limiting.md). */
export interface RateLimitConfig {
  readonly enabled: boolean;
  /** Per authenticated client, per IP (not yet a client), per IP elsewhere, per username + IP. */
  readonly policies: Readonly<Record<'client' | 'ip' | 'default' | 'login', RateLimitPolicy>>;
  /** Redis unreachable: allow (true) or refuse with 503 (false); login has its own switch. */
  readonly failOpenOAuth: boolean;
  readonly failOpenLogin: boolean;
}

/** The sign-in pages and the pending requests behind them (docs/authorization-flow.md). */
export interface InteractionConfig {
  /** Lifetime of an interaction record (auth:interaction:*) and its browser cookie. */
  readonly ttlSeconds: number;
  /** OAUTH_SCOPE_DESCRIPTIONS: text shown beside a scope on the consent page (optional). */
  readonly scopeDescriptions: ReadonlyMap<string, string>;
  readonly brand: {
    readonly name: string;
    /** Hex colours (validated), inlined into the pages' stylesheet. */
    readonly primaryColor: string;
    readonly backgroundColor: string;
  };
}

/** Injection token and type in one: `constructor(private readonly config: AppConfig)`. */
export abstract class AppConfig {
  abstract readonly env: 'development' | 'production' | 'test';
  abstract readonly http: HttpConfig;
  abstract readonly management: ManagementConfig;
  abstract readonly logLevel: string;
  abstract readonly redis: RedisConfig;
  abstract readonly oauth: OAuthConfig;
  abstract readonly passwords: PasswordConfig;
  abstract readonly sessions: SessionConfig;
  abstract readonly cache: CacheConfig;
  abstract readonly jobs: JobsConfig;
  abstract readonly rateLimit: RateLimitConfig;
  abstract readonly interaction: InteractionConfig;
}
