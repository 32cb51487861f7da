import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { METRIC, RATE_LIMIT_DECISIONS, RATE_LIMIT_SCOPES } from '../metrics/metric-names';
import {
  RateLimitCharge,
  RateLimitDecision,
  RateLimitedError,
  RateLimitScope,
} from '../redis/rate-limit';
import { RedisUnavailableException } from '../redis/redis-unavailable';
import { sha256Hex } from '../security/secrets';
import { allowedHeaders } from './rate-limit-headers';
import { RateLimitStore } from './rate-limit.store';

export type RateLimitOutcome = (typeof RATE_LIMIT_DECISIONS)[number];

/**
 * The rate limiter's policy (docs/rate-limiting.md): which limit applies to whom, what to do
 * when Redis cannot be asked, and the decision metric. Two ways to charge:
 * - `chargeFor` builds a charge that a token script folds into its own call (issue, rotate,
 *   revoke: no extra round trip); the caller reports the outcome with `record`;
 * - `enforce` runs it as its own call (introspection, in the same tick as the lookup; failed
 *   client authentications; the route guard; logins).
 */
@Injectable()
export class RateLimitService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly store: RateLimitStore,
    @InjectMetric(METRIC.rateLimitDecisions) private readonly decisions: Counter<string>,
  ) {}

  /** Every scope and decision is exported from start-up (alerts compare rates of them). */
  onModuleInit(): void {
    for (const scope of RATE_LIMIT_SCOPES) {
      for (const decision of RATE_LIMIT_DECISIONS) this.decisions.inc({ scope, decision }, 0);
    }
  }

  /** The charge of one request by `subject` in `scope`; undefined while limiting is off. */
  chargeFor(scope: RateLimitScope, subject: string): RateLimitCharge | undefined {
    if (!this.config.rateLimit.enabled) return undefined;
    const { limit, windowSeconds } = this.config.rateLimit.policies[scope];
    return { scope, subject, limit, windowMs: windowSeconds * 1000 };
  }

  /** Counts a decision made elsewhere (a token script that folded the charge in). */
  record(scope: RateLimitScope, outcome: RateLimitOutcome): void {
    this.decisions.inc({ scope, decision: outcome });
  }

  /**
   * Charges one request as its own Redis call. Returns the decision (for RateLimit headers),
   * or undefined when limiting is off or Redis is unreachable and the scope fails open.
   * Throws RateLimitedError over the limit, and RedisUnavailableException (503) when Redis is
   * unreachable and the scope fails closed.
   */
  async enforce(scope: RateLimitScope, subject: string): Promise<RateLimitDecision | undefined> {
    const charge = this.chargeFor(scope, subject);
    if (!charge) return undefined;
    let decision: RateLimitDecision;
    try {
      decision = await this.store.charge(charge);
    } catch (err) {
      if (!(err instanceof RedisUnavailableException)) throw err;
      if (!this.failsOpen(scope)) {
        this.record(scope, 'fail_closed');
        throw err;
      }
      this.record(scope, 'fail_open');
      return undefined;
    }
    this.record(scope, decision.allowed ? 'allowed' : 'limited');
    if (!decision.allowed) throw new RateLimitedError(charge, decision.retryAfterMs);
    return decision;
  }

  /**
   * A failed client authentication at the token, introspection or revocation endpoint counts
   * against the caller's IP (RATE_LIMIT_IP_*). Throws RateLimitedError once it is over.
   */
  async failedClientAuthentication(ip: string): Promise<void> {
    await this.enforce('ip', ip);
  }

  /**
   * The login limit against password guessing (RATE_LIMIT_LOGIN_*), per username and IP. The
   * login route calls it BEFORE checking the password, for every attempt: a guesser is stopped
   * without a password hash being computed, and an attacker elsewhere cannot lock the user
   * out (the key includes the IP). Fails closed by default (RATE_LIMIT_FAIL_OPEN_LOGIN).
   * Usernames are compared case-insensitively, as the user registry does.
   */
  login(username: string, ip: string): Promise<RateLimitDecision | undefined> {
    return this.enforce('login', `${sha256Hex(username.toLowerCase())}:${ip}`);
  }

  /** RateLimit-Policy and RateLimit of an allowed answer in `scope`. */
  headers(scope: RateLimitScope, decision: RateLimitDecision): Record<string, string> {
    const { limit, windowSeconds } = this.config.rateLimit.policies[scope];
    return allowedHeaders({ scope, limit, windowMs: windowSeconds * 1000 }, decision);
  }

  private failsOpen(scope: RateLimitScope): boolean {
    const { failOpenLogin, failOpenOAuth } = this.config.rateLimit;
    return scope === 'login' ? failOpenLogin : failOpenOAuth;
  }
}
