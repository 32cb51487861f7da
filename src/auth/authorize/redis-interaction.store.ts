import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { keys } from '../../redis/keys';
import { REDIS_AUTH } from '../../redis/redis.tokens';
import { storageCall } from '../../redis/redis-unavailable';
import { interactionFields, toInteractionRecord } from './interaction-record';
import { InteractionRecord, InteractionStore } from './interaction.store';

/**
 * InteractionStore on the auth DB. The record never changes after it is written, so no
 * script is needed: a blind MULTI writes it with its TTL, and DEL (atomic, answers 1 once)
 * completes it exactly once.
 */
@Injectable()
export class RedisInteractionStore extends InteractionStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  save(digest: string, record: InteractionRecord, ttlSeconds: number): Promise<void> {
    const key = keys.interaction(digest);
    return storageCall(async () => {
      const results = await this.redis
        .multi()
        .hset(key, interactionFields(record))
        .expire(key, ttlSeconds)
        .exec();
      const failed = results?.find(([err]) => err);
      if (!results || failed) throw failed?.[0] ?? new Error('interaction write discarded');
    });
  }

  find(digest: string): Promise<InteractionRecord | null> {
    return storageCall(async () =>
      toInteractionRecord(await this.redis.hgetall(keys.interaction(digest))),
    );
  }

  complete(digest: string): Promise<boolean> {
    return storageCall(async () => (await this.redis.del(keys.interaction(digest))) === 1);
  }
}
