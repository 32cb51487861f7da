import { Counter, Registry } from 'prom-client';
import type { AppConfig, RateLimitConfig } from '../../../src/config/app-config';
import { RateLimitService } from '../../../src/ratelimit/rate-limit.service';
import { RateLimitStore } from '../../../src/ratelimit/rate-limit.store';
import {
  RateLimitCharge,
  RateLimitDecision,
  RateLimitedError,
} from '../../../src/redis/rate-limit';
import { RedisUnavailableException } from '../../../src/redis/redis-unavailable';
import { sha256Hex } from '../../../src/security/secrets';

/** In-memory store: allows `allowance` requests per subject, or fails like a Redis outage. */
class FakeStore extends RateLimitStore {
  readonly charges: RateLimitCharge[] = [];
  down = false;
  constructor(private readonly allowance: number) {
    super();
  }
  async charge(charge: RateLimitCharge): Promise<RateLimitDecision> {
    if (this.down) throw new RedisUnavailableException('failed');
    this.charges.push(charge);
    const used = this.charges.filter((c) => c.subject === charge.subject).length;
    const allowed = used <= this.allowance;
    return {
      allowed,
      remaining: Math.max(this.allowance - used, 0),
      resetMs: 1000,
      retryAfterMs: allowed ? 0 : 250,
    };
  }
}

const policy = (limit: number, windowSeconds = 60) => ({ limit, windowSeconds });
function setup(overrides: Partial<RateLimitConfig> = {}, allowance = 2) {
  const rateLimit: RateLimitConfig = {
    enabled: true,
    policies: { client: policy(1000), ip: policy(50), default: policy(100), login: policy(5, 300) },
    failOpenOAuth: true,
    failOpenLogin: false,
    ...overrides,
  };
  const registry = new Registry();
  const counter = new Counter({
    name: 'decisions',
    help: 'test',
    labelNames: ['scope', 'decision'],
    registers: [registry],
  });
  const store = new FakeStore(allowance);
  const service = new RateLimitService({ rateLimit } as AppConfig, store, counter);
  const count = async (scope: string, decision: string) =>
    (await counter.get()).values.find(
      (v) => v.labels.scope === scope && v.labels.decision === decision,
    )?.value;
  return { service, store, count };
}

describe('RateLimitService', () => {
  it('exports every scope x decision at 0 from start-up', async () => {
    const { service, count } = setup();
    service.onModuleInit();
    for (const scope of ['client', 'ip', 'default', 'login']) {
      for (const decision of ['allowed', 'limited', 'fail_open', 'fail_closed']) {
        expect(await count(scope, decision)).toBe(0);
      }
    }
  });

  it('builds a charge from the scope policy, with the window in milliseconds', () => {
    const { service } = setup();
    expect(service.chargeFor('login', 'x')).toEqual({
      scope: 'login',
      subject: 'x',
      limit: 5,
      windowMs: 300_000,
    });
  });

  it('charges nothing and answers undefined while RATE_LIMIT_ENABLED is false', async () => {
    const { service, store } = setup({ enabled: false });
    expect(service.chargeFor('client', 'a')).toBeUndefined();
    await expect(service.enforce('default', '192.0.2.1')).resolves.toBeUndefined();
    expect(store.charges).toEqual([]);
  });

  it('throws RateLimitedError with the policy and the wait once over, counting both decisions', async () => {
    const { service, count } = setup();
    await service.enforce('ip', '192.0.2.1');
    await service.enforce('ip', '192.0.2.1');
    const err = (await service
      .enforce('ip', '192.0.2.1')
      .catch((e: unknown) => e)) as RateLimitedError;
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.charge).toEqual({ scope: 'ip', subject: '192.0.2.1', limit: 50, windowMs: 60_000 });
    expect(err.retryAfterMs).toBe(250);
    expect(await count('ip', 'allowed')).toBe(2);
    expect(await count('ip', 'limited')).toBe(1);
  });

  it('keys logins by the lowercased username digest and the IP', async () => {
    const { service, store } = setup();
    await service.login('Alice', '192.0.2.1');
    expect(store.charges[0].subject).toBe(`${sha256Hex('alice')}:192.0.2.1`);
  });

  it('fails open for the OAuth scopes and closed for login by default when Redis is down', async () => {
    const { service, store, count } = setup();
    store.down = true;
    await expect(service.enforce('client', 'a')).resolves.toBeUndefined();
    await expect(service.failedClientAuthentication('192.0.2.1')).resolves.toBeUndefined();
    await expect(service.login('alice', '192.0.2.1')).rejects.toBeInstanceOf(
      RedisUnavailableException,
    );
    expect(await count('client', 'fail_open')).toBe(1);
    expect(await count('ip', 'fail_open')).toBe(1);
    expect(await count('login', 'fail_closed')).toBe(1);
  });

  it('follows RATE_LIMIT_FAIL_OPEN_OAUTH=false and RATE_LIMIT_FAIL_OPEN_LOGIN=true', async () => {
    const { service, store, count } = setup({ failOpenOAuth: false, failOpenLogin: true });
    store.down = true;
    await expect(service.enforce('default', '192.0.2.1')).rejects.toBeInstanceOf(
      RedisUnavailableException,
    );
    await expect(service.login('alice', '192.0.2.1')).resolves.toBeUndefined();
    expect(await count('default', 'fail_closed')).toBe(1);
    expect(await count('login', 'fail_open')).toBe(1);
  });
});
