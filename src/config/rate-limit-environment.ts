import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import type { RateLimitConfig } from './app-config';
import { toBool, toInt } from './env-transforms';

const LIMIT = 'must be a positive integer (requests per window)';
const WINDOW = 'must be an integer from 1 to 86400 (seconds)';

/**
 * The rate limiter's variables (docs/rate-limiting.md), validated with the rest of the
 * environment: Environment extends this class. One limit and window per scope; the defaults
 * are the design's: 1000/min per authenticated client, 50/min per IP for traffic that is not
 * (yet) an authenticated client, 100/min per IP elsewhere, 5 per 5 min per username + IP.
 */
export class RateLimitEnvironment {
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  RATE_LIMIT_ENABLED = true;

  @Transform(toInt)
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  RATE_LIMIT_CLIENT_LIMIT = 1000;

  @Transform(toInt)
  @IsInt({ message: WINDOW })
  @Min(1, { message: WINDOW })
  @Max(86400, { message: WINDOW })
  RATE_LIMIT_CLIENT_WINDOW_SECONDS = 60;

  @Transform(toInt)
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  RATE_LIMIT_IP_LIMIT = 50;

  @Transform(toInt)
  @IsInt({ message: WINDOW })
  @Min(1, { message: WINDOW })
  @Max(86400, { message: WINDOW })
  RATE_LIMIT_IP_WINDOW_SECONDS = 60;

  @Transform(toInt)
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  RATE_LIMIT_DEFAULT_LIMIT = 100;

  @Transform(toInt)
  @IsInt({ message: WINDOW })
  @Min(1, { message: WINDOW })
  @Max(86400, { message: WINDOW })
  RATE_LIMIT_DEFAULT_WINDOW_SECONDS = 60;

  @Transform(toInt)
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  RATE_LIMIT_LOGIN_LIMIT = 5;

  @Transform(toInt)
  @IsInt({ message: WINDOW })
  @Min(1, { message: WINDOW })
  @Max(86400, { message: WINDOW })
  RATE_LIMIT_LOGIN_WINDOW_SECONDS = 300;

  /** Redis unreachable: serve the token, introspection, revocation and other routes anyway. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  RATE_LIMIT_FAIL_OPEN_OAUTH = true;

  /** Redis unreachable: refuse logins (503) rather than allow unlimited password guessing. */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  RATE_LIMIT_FAIL_OPEN_LOGIN = false;
}

/** The validated variables as AppConfig.rateLimit. */
export function rateLimitConfig(env: RateLimitEnvironment): RateLimitConfig {
  const policy = (limit: number, windowSeconds: number) => ({ limit, windowSeconds });
  return {
    enabled: env.RATE_LIMIT_ENABLED,
    policies: {
      client: policy(env.RATE_LIMIT_CLIENT_LIMIT, env.RATE_LIMIT_CLIENT_WINDOW_SECONDS),
      ip: policy(env.RATE_LIMIT_IP_LIMIT, env.RATE_LIMIT_IP_WINDOW_SECONDS),
      default: policy(env.RATE_LIMIT_DEFAULT_LIMIT, env.RATE_LIMIT_DEFAULT_WINDOW_SECONDS),
      login: policy(env.RATE_LIMIT_LOGIN_LIMIT, env.RATE_LIMIT_LOGIN_WINDOW_SECONDS),
    },
    failOpenOAuth: env.RATE_LIMIT_FAIL_OPEN_OAUTH,
    failOpenLogin: env.RATE_LIMIT_FAIL_OPEN_LOGIN,
  };
}
