import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { RateLimitEnvironment } from './rate-limit-environment';
import { toBool, toInt } from './env-transforms';

/** `false`, a hop count, or a comma-separated list of IPv4/IPv6 addresses or CIDRs. */
const TRUST_PROXY =
  /^\s*(false|\d{1,2}|[0-9A-Fa-f.:]+(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f.:]+(\/\d{1,3})?)*)\s*$/;
/** scrypt's N: a power of two; 2^10 (toy) to 2^20 (1 GiB with r = 8). */
const SCRYPT_N_VALUES = Array.from({ length: 11 }, (_, i) => 2 ** (i + 10));
/** `#rgb` or `#rrggbb`: the only colour syntax the pages' stylesheet accepts. */
const HEX_COLOR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const HOST_PORT_LIST = /^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/;

/**
 * The raw environment, one property per variable, exactly as operators set it.
 * Every property is documented in .env.example and docs/configuration.md; the
 * validation messages say what is expected, because they are what an operator reads
 * when the process refuses to start.
 */
export class Environment extends RateLimitEnvironment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'], {
    message: 'must be one of development, production, test',
  })
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt({ message: 'must be an integer port number' })
  @Min(0)
  @Max(65535, { message: 'must be between 0 and 65535' })
  PORT = 3000;

  @IsString() HOST = '0.0.0.0';

  @Matches(TRUST_PROXY, {
    message:
      'must be false, a hop count (e.g. 1) or a comma-separated list of trusted proxy IPs/CIDRs',
  })
  TRUST_PROXY = 'false';

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(100)
  HTTP_REQUEST_TIMEOUT_MS = 10000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(100)
  HTTP_HEADERS_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(100)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(100)
  HTTP_CONNECTION_TIMEOUT_MS = 30000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer' })
  @Min(1)
  HTTP_MAX_CONNECTIONS = 10000;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be an integer port number' })
  @Min(0)
  @Max(65535, { message: 'must be between 0 and 65535' })
  MANAGEMENT_PORT?: number;

  @IsString() MANAGEMENT_HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsIn(['standalone', 'sentinel'], { message: 'must be "standalone" or "sentinel"' })
  REDIS_MODE = 'standalone';

  @ValidateIf((e: Environment) => e.REDIS_MODE === 'standalone')
  @IsUrl(
    { protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true },
    { message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' },
  )
  REDIS_URL = 'redis://127.0.0.1:6379';

  @ValidateIf((e: Environment) => e.REDIS_MODE === 'sentinel')
  @Matches(HOST_PORT_LIST, {
    message:
      'must be a comma-separated host:port list when REDIS_MODE=sentinel, e.g. s1:26379,s2:26379',
  })
  REDIS_SENTINELS?: string;

  @IsString()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'must be a Sentinel master name' })
  REDIS_MASTER_NAME = 'tollgate';

  @IsOptional() @IsString() REDIS_USERNAME?: string;
  @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @IsOptional() @IsString() REDIS_SENTINEL_USERNAME?: string;
  @IsOptional() @IsString() REDIS_SENTINEL_PASSWORD?: string;
  /** BullMQ's own ACL user (docs/security.md); unset: REDIS_USERNAME / REDIS_PASSWORD. */
  @IsOptional() @IsString() REDIS_JOBS_USERNAME?: string;
  @IsOptional() @IsString() REDIS_JOBS_PASSWORD?: string;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  REDIS_TLS = false;

  @IsOptional() @IsString() REDIS_TLS_CA_FILE?: string;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 0 and 15' })
  @Min(0)
  @Max(15)
  REDIS_AUTH_DB = 0;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer between 0 and 15' })
  @Min(0)
  @Max(15)
  REDIS_CACHE_DB = 1;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(100)
  REDIS_CONNECT_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(10)
  REDIS_COMMAND_TIMEOUT_MS = 2000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(10)
  REDIS_RETRY_BASE_MS = 1000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(10)
  REDIS_RETRY_MAX_MS = 15000;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer' })
  @Min(1)
  REDIS_STARTUP_MAX_ATTEMPTS = 20;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer >= 0 (replicas that must acknowledge)' })
  @Min(0)
  REDIS_WRITE_REPLICAS = 0;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (milliseconds)' })
  @Min(1)
  REDIS_WRITE_TIMEOUT_MS = 500;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  REDIS_AUTO_PIPELINING = true;

  /** The service cache (DB REDIS_CACHE_DB) on its own standalone Redis; unset: REDIS_URL's. */
  @IsOptional()
  @IsUrl(
    { protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true },
    { message: 'must be a redis:// or rediss:// URL, e.g. redis://cache-redis:6379' },
  )
  CACHE_REDIS_URL?: string;

  /** The service cache behind its own Sentinel master; unset: the auth connection's. */
  @IsOptional()
  @Matches(HOST_PORT_LIST, {
    message: 'must be a comma-separated host:port list, e.g. s1:26379,s2:26379',
  })
  CACHE_REDIS_SENTINELS?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'must be a Sentinel master name' })
  CACHE_REDIS_MASTER_NAME?: string;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(1)
  CACHE_DEFAULT_TTL_SECONDS = 86400;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(1)
  @Max(31536000, { message: 'must be at most 31536000 seconds (one year)' })
  CACHE_MAX_TTL_SECONDS = 604800;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (bytes)' })
  @Min(1)
  @Max(64 * 1024 * 1024, { message: 'must be at most 67108864 bytes (64 MiB)' })
  CACHE_MAX_VALUE_BYTES = 1048576;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer' })
  @Min(1)
  CACHE_MAX_ENTRIES_PER_SERVICE = 10000;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an absolute http(s) URL without query or fragment (RFC 8414 issuer)' },
  )
  ISSUER?: string;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(1)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(1)
  REFRESH_TOKEN_TTL_SECONDS = 604800;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(1)
  @Max(600, { message: 'must be at most 600 seconds (RFC 6749 section 4.1.2)' })
  AUTH_CODE_TTL_SECONDS = 600;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(1)
  REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS = 2592000;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer >= 0 (seconds)' })
  @Min(0)
  @Max(300, { message: 'must be at most 300 seconds' })
  REFRESH_TOKEN_REUSE_GRACE_SECONDS = 0;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  PASSWORD_GRANT_ENABLED = false;

  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, {
    message: 'must be a space-separated list of scope tokens (RFC 6749 section 3.3)',
  })
  OAUTH_SCOPES = 'openid profile cache:read cache:write admin';

  /** JSON object scope -> text shown on the consent page; checked in scope-descriptions.ts. */
  @IsOptional()
  @IsString()
  OAUTH_SCOPE_DESCRIPTIONS?: string;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer >= 0 (seconds)' })
  @Min(0)
  CLIENT_SECRET_GRACE_SECONDS = 86400;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer >= 0 (milliseconds; 0 disables the cache)' })
  @Min(0)
  @Max(60000, { message: 'must be at most 60000 milliseconds' })
  CLIENT_CACHE_TTL_MS = 5000;

  /** scrypt cost (a power of two): memory is 128 * N * r bytes per hash (16 MiB by default). */
  @Transform(toInt)
  @IsIn(SCRYPT_N_VALUES, { message: 'must be a power of two from 1024 to 1048576' })
  PASSWORD_SCRYPT_N = 16384;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer from 1 to 32' })
  @Min(1, { message: 'must be an integer from 1 to 32' })
  @Max(32, { message: 'must be an integer from 1 to 32' })
  PASSWORD_SCRYPT_R = 8;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer from 1 to 16' })
  @Min(1, { message: 'must be an integer from 1 to 16' })
  @Max(16, { message: 'must be an integer from 1 to 16' })
  PASSWORD_SCRYPT_P = 1;

  @Transform(toInt)
  @IsInt({ message: 'must be an integer from 8 to 128' })
  @Min(8, { message: 'must be an integer from 8 to 128 (NIST SP 800-63B: at least 8)' })
  @Max(128, { message: 'must be an integer from 8 to 128' })
  PASSWORD_MIN_LENGTH = 12;

  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/, {
    message: 'must be at least 32 characters (a random bootstrap credential)',
  })
  ADMIN_TOKEN?: string;

  @IsOptional() @IsString() CLIENTS_BOOTSTRAP_FILE?: string;

  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(1)
  SESSION_TTL_SECONDS = 3600;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  SESSION_COOKIE_SECURE = true;

  /** Unset: `__Host-tollgate_session` when the cookie is Secure, else `tollgate_session`. */
  @IsOptional()
  @Matches(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/, {
    message: "must be a cookie name (RFC 6265 token: letters, digits, !#$%&'*+-.^_`|~)",
  })
  SESSION_COOKIE_NAME?: string;

  /** Lifetime of a pending authorization request waiting for login or consent. */
  @Transform(toInt)
  @IsInt({ message: 'must be a positive integer (seconds)' })
  @Min(60)
  @Max(3600)
  INTERACTION_TTL_SECONDS = 600;

  /** Shown in the title and heading of the sign-in pages. */
  @IsString()
  @Matches(/^[^<>&"'\p{Cc}]{1,64}$/u, {
    message: 'must be 1-64 printable characters without < > & " \'',
  })
  BRAND_NAME = 'tollgate';

  @Matches(HEX_COLOR, { message: 'must be a hex colour such as #1f5fbf' })
  BRAND_PRIMARY_COLOR = '#1f5fbf';

  @Matches(HEX_COLOR, { message: 'must be a hex colour such as #f5f7fa' })
  BRAND_BACKGROUND_COLOR = '#f5f7fa';
}
