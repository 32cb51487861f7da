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
}

export interface OAuthConfig {
  readonly issuer: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly authCodeTtlSeconds: number;
  readonly passwordGrantEnabled: boolean;
  readonly scopes: readonly string[];
  readonly clientSecretGraceSeconds: number;
  readonly adminToken?: string;
  readonly clientsBootstrapFile?: string;
}

/** Injection token and type in one: `constructor(private readonly config: AppConfig)`. */
export abstract class AppConfig {
  abstract readonly env: 'development' | 'production' | 'test';
  abstract readonly http: { readonly host: string; readonly port: number };
  abstract readonly logLevel: string;
  abstract readonly redis: RedisConfig;
  abstract readonly oauth: OAuthConfig;
}
