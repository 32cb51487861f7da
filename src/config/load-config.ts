import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import * as dotenv from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { AppConfig, CacheConfig, RedisConfig, RedisServer, TrustProxy } from './app-config';
import { Environment } from './environment';
import { JobsEnvironment, readJobsConfig } from './jobs-config';
import { OperatorError } from './operator-error';
import { rateLimitConfig } from './rate-limit-environment';
import { readScopeDescriptions } from './scope-descriptions';

/** Raised for any invalid setting; its message lists every offending variable. */
export class ConfigValidationError extends OperatorError {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example and docs/configuration.md.',
    );
    this.name = 'ConfigValidationError';
  }
}

const SECRET_VARS = /PASSWORD|TOKEN|SECRET/;
/** Settings about passwords, not passwords: their values may be shown. */
const NOT_SECRET_VARS = /^PASSWORD_(SCRYPT_[NRP]|MIN_LENGTH)$/;

function describe(error: ValidationError): string {
  const raw = error.value === undefined ? 'unset' : JSON.stringify(String(error.value));
  const secret = SECRET_VARS.test(error.property) && !NOT_SECRET_VARS.test(error.property);
  const got = secret ? '' : ` (got ${raw})`;
  const why = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property}: ${why}${got}`;
}

/** Reads `.env` (if present) below real environment variables, like dotenv does. */
export function readEnvFile(path = '.env'): Record<string, string> {
  return existsSync(path) ? dotenv.parse(readFileSync(path)) : {};
}

/**
 * Validates the environment and returns the frozen AppConfig, or throws
 * ConfigValidationError naming every bad variable at once (fail fast, fix once).
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const problems = validateSync(parsed, { forbidUnknownValues: false }).map(describe);
  const jobsEnv = plainToInstance(JobsEnvironment, defined, { exposeDefaultValues: true });
  const { errors: jobsErrors, jobs } = readJobsConfig(jobsEnv);
  problems.push(...jobsErrors.map(describe));
  const sentinels = parseSentinels(parsed.REDIS_SENTINELS);
  if (parsed.REDIS_RETRY_MAX_MS < parsed.REDIS_RETRY_BASE_MS) {
    problems.push('REDIS_RETRY_MAX_MS: must be >= REDIS_RETRY_BASE_MS');
  }
  problems.push(...cacheProblems(parsed));
  const separateCache = Boolean(parsed.CACHE_REDIS_URL || parsed.CACHE_REDIS_SENTINELS);
  if (parsed.REDIS_AUTH_DB === parsed.REDIS_CACHE_DB && !separateCache && problems.length === 0) {
    problems.push(
      'REDIS_CACHE_DB: must differ from REDIS_AUTH_DB (auth data and cache are kept apart)',
    );
  }
  if (parsed.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS < parsed.REFRESH_TOKEN_TTL_SECONDS) {
    problems.push('REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: must be >= REFRESH_TOKEN_TTL_SECONDS');
  }
  if (parsed.HTTP_HEADERS_TIMEOUT_MS > parsed.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must be <= HTTP_REQUEST_TIMEOUT_MS');
  }
  if (
    parsed.MANAGEMENT_PORT !== undefined &&
    parsed.MANAGEMENT_PORT === parsed.PORT &&
    parsed.PORT !== 0
  ) {
    problems.push('MANAGEMENT_PORT: must differ from PORT');
  }
  if (parsed.NODE_ENV === 'production' && !parsed.ISSUER?.startsWith('https://')) {
    // RFC 8414 section 2: the issuer is an https URL; tokens and metadata name it, and a
    // default of http://localhost would be served to real clients.
    problems.push('ISSUER: must be set to an https URL when NODE_ENV=production');
  }
  if (parsed.REDIS_TLS_CA_FILE && !existsSync(parsed.REDIS_TLS_CA_FILE)) {
    problems.push(
      `REDIS_TLS_CA_FILE: file not found (got ${JSON.stringify(parsed.REDIS_TLS_CA_FILE)})`,
    );
  }
  if (128 * parsed.PASSWORD_SCRYPT_N * parsed.PASSWORD_SCRYPT_R > 1024 ** 3) {
    problems.push('PASSWORD_SCRYPT_N: 128 * N * r (the memory of one hash) must be <= 1 GiB');
  }
  problems.push(...sessionProblems(parsed));
  const scopes = parsed.OAUTH_SCOPES.split(' ');
  const scopeDescriptions = readScopeDescriptions(parsed.OAUTH_SCOPE_DESCRIPTIONS, scopes);
  problems.push(...scopeDescriptions.problems);
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const redis: RedisConfig = {
    mode: parsed.REDIS_MODE as RedisConfig['mode'],
    url: parsed.REDIS_URL,
    sentinels,
    masterName: parsed.REDIS_MASTER_NAME,
    username: parsed.REDIS_USERNAME,
    password: parsed.REDIS_PASSWORD,
    sentinelUsername: parsed.REDIS_SENTINEL_USERNAME,
    sentinelPassword: parsed.REDIS_SENTINEL_PASSWORD,
    jobsUsername: parsed.REDIS_JOBS_USERNAME,
    jobsPassword: parsed.REDIS_JOBS_PASSWORD,
    tls: parsed.REDIS_TLS,
    tlsCaFile: parsed.REDIS_TLS_CA_FILE,
    authDb: parsed.REDIS_AUTH_DB,
    cacheDb: parsed.REDIS_CACHE_DB,
    connectTimeoutMs: parsed.REDIS_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: parsed.REDIS_COMMAND_TIMEOUT_MS,
    retryBaseMs: parsed.REDIS_RETRY_BASE_MS,
    retryMaxMs: parsed.REDIS_RETRY_MAX_MS,
    startupMaxAttempts: parsed.REDIS_STARTUP_MAX_ATTEMPTS,
    writeReplicas: parsed.REDIS_WRITE_REPLICAS,
    writeTimeoutMs: parsed.REDIS_WRITE_TIMEOUT_MS,
    autoPipelining: parsed.REDIS_AUTO_PIPELINING,
    cacheServer: cacheServer(parsed),
  };
  const cache: CacheConfig = {
    defaultTtlSeconds: parsed.CACHE_DEFAULT_TTL_SECONDS,
    maxTtlSeconds: parsed.CACHE_MAX_TTL_SECONDS,
    maxValueBytes: parsed.CACHE_MAX_VALUE_BYTES,
    maxEntriesPerService: parsed.CACHE_MAX_ENTRIES_PER_SERVICE,
  };
  const config: AppConfig = {
    env: parsed.NODE_ENV as AppConfig['env'],
    http: {
      host: parsed.HOST,
      port: parsed.PORT,
      trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
      requestTimeoutMs: parsed.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: parsed.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: parsed.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionTimeoutMs: parsed.HTTP_CONNECTION_TIMEOUT_MS,
      maxConnections: parsed.HTTP_MAX_CONNECTIONS,
    },
    management: { port: parsed.MANAGEMENT_PORT, host: parsed.MANAGEMENT_HOST },
    logLevel: parsed.LOG_LEVEL,
    redis,
    oauth: {
      issuer: (parsed.ISSUER ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, ''),
      accessTokenTtlSeconds: parsed.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: parsed.REFRESH_TOKEN_TTL_SECONDS,
      refreshTokenAbsoluteTtlSeconds: parsed.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS,
      refreshTokenReuseGraceSeconds: parsed.REFRESH_TOKEN_REUSE_GRACE_SECONDS,
      authCodeTtlSeconds: parsed.AUTH_CODE_TTL_SECONDS,
      passwordGrantEnabled: parsed.PASSWORD_GRANT_ENABLED,
      scopes,
      clientSecretGraceSeconds: parsed.CLIENT_SECRET_GRACE_SECONDS,
      clientCacheTtlMs: parsed.CLIENT_CACHE_TTL_MS,
      adminToken: parsed.ADMIN_TOKEN,
      clientsBootstrapFile: parsed.CLIENTS_BOOTSTRAP_FILE,
    },
    passwords: {
      scrypt: {
        n: parsed.PASSWORD_SCRYPT_N,
        r: parsed.PASSWORD_SCRYPT_R,
        p: parsed.PASSWORD_SCRYPT_P,
      },
      minLength: parsed.PASSWORD_MIN_LENGTH,
    },
    sessions: {
      ttlSeconds: parsed.SESSION_TTL_SECONDS,
      cookie: {
        name:
          parsed.SESSION_COOKIE_NAME ??
          (parsed.SESSION_COOKIE_SECURE ? '__Host-tollgate_session' : 'tollgate_session'),
        secure: parsed.SESSION_COOKIE_SECURE,
      },
    },
    cache,
    jobs,
    rateLimit: rateLimitConfig(parsed),
    interaction: {
      ttlSeconds: parsed.INTERACTION_TTL_SECONDS,
      scopeDescriptions: scopeDescriptions.descriptions,
      brand: {
        name: parsed.BRAND_NAME,
        primaryColor: parsed.BRAND_PRIMARY_COLOR,
        backgroundColor: parsed.BRAND_BACKGROUND_COLOR,
      },
    },
  };
  return deepFreeze(config);
}

/**
 * Browsers drop a `__Host-`/`__Secure-` cookie set without `Secure` (RFC 6265bis section
 * 4.1.3), which would make every login silently fail; a production issuer is https, where a
 * cookie without `Secure` would leak the session over any http request.
 */
function sessionProblems(parsed: Environment): string[] {
  const problems: string[] = [];
  const name = parsed.SESSION_COOKIE_NAME ?? '';
  if (!parsed.SESSION_COOKIE_SECURE && /^__(Host|Secure)-/i.test(name)) {
    problems.push(
      'SESSION_COOKIE_NAME: a __Host- or __Secure- name needs SESSION_COOKIE_SECURE=true',
    );
  }
  if (!parsed.SESSION_COOKIE_SECURE && parsed.NODE_ENV === 'production') {
    problems.push('SESSION_COOKIE_SECURE: must be true when NODE_ENV=production');
  }
  return problems;
}

/** The service cache's settings that only make sense together. */
function cacheProblems(parsed: Environment): string[] {
  const problems: string[] = [];
  if (parsed.CACHE_REDIS_URL && parsed.CACHE_REDIS_SENTINELS) {
    problems.push('CACHE_REDIS_URL: set either CACHE_REDIS_URL or CACHE_REDIS_SENTINELS, not both');
  }
  if (parsed.CACHE_REDIS_MASTER_NAME && !parsed.CACHE_REDIS_SENTINELS) {
    problems.push('CACHE_REDIS_MASTER_NAME: needs CACHE_REDIS_SENTINELS');
  }
  if (parsed.CACHE_DEFAULT_TTL_SECONDS > parsed.CACHE_MAX_TTL_SECONDS) {
    problems.push('CACHE_DEFAULT_TTL_SECONDS: must be <= CACHE_MAX_TTL_SECONDS');
  }
  return problems;
}

/** The cache's own server, when one is configured (large deployments, docs/cache.md). */
function cacheServer(parsed: Environment): RedisServer | undefined {
  if (parsed.CACHE_REDIS_SENTINELS) {
    return {
      mode: 'sentinel',
      url: parsed.REDIS_URL,
      sentinels: parseSentinels(parsed.CACHE_REDIS_SENTINELS),
      masterName: parsed.CACHE_REDIS_MASTER_NAME ?? parsed.REDIS_MASTER_NAME,
    };
  }
  if (parsed.CACHE_REDIS_URL) {
    return { mode: 'standalone', url: parsed.CACHE_REDIS_URL, sentinels: [], masterName: '' };
  }
  return undefined;
}

function parseTrustProxy(value: string): TrustProxy {
  const v = value.trim();
  if (v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((entry) => entry.trim());
}

function parseSentinels(list: string | undefined): RedisConfig['sentinels'] {
  if (!list) return [];
  return list.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
