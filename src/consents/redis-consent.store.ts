import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { keys } from '../redis/keys';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { storageCall } from '../redis/redis-unavailable';
import { ConsentStore } from './consent.store';

const split = (scopes: string | null | undefined): string[] =>
  scopes ? scopes.split(' ').filter((s) => s !== '') : [];

/** ConsentStore on the auth DB: one hash per user; grants merge in grantConsent-1.lua. */
@Injectable()
export class RedisConsentStore extends ConsentStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  grant(userId: string, clientId: string, scopes: readonly string[]): Promise<string[]> {
    return storageCall(async () =>
      split(await this.redis.grantConsent(keys.consent(userId), clientId, scopes.join(' '))),
    );
  }

  find(userId: string, clientId: string): Promise<string[]> {
    return storageCall(async () => split(await this.redis.hget(keys.consent(userId), clientId)));
  }

  list(userId: string): Promise<Record<string, string[]>> {
    return storageCall(async () => {
      const all = await this.redis.hgetall(keys.consent(userId));
      return Object.fromEntries(Object.entries(all).map(([client, s]) => [client, split(s)]));
    });
  }

  revoke(userId: string, clientId: string): Promise<boolean> {
    return storageCall(async () => (await this.redis.hdel(keys.consent(userId), clientId)) === 1);
  }

  forgetUser(userId: string): Promise<void> {
    return storageCall(async () => {
      await this.redis.del(keys.consent(userId));
    });
  }
}
