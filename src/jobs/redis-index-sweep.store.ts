import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys } from '../redis/keys';
import { REDIS_AUTH } from '../redis/redis.tokens';
import { storageCall } from '../redis/redis-unavailable';
import { IndexSweepStore, SweepPage, SweptIndex } from './index-sweep.store';

/** Which id set lists the owners of each index, and the index key of one owner. */
const SWEEPS: Record<SweptIndex, { ids: string; index: (id: string) => string }> = {
  'client-tokens': { ids: keys.clientIndex(), index: keys.clientTokens },
  'user-tokens': { ids: keys.userIndex(), index: keys.userTokens },
  'user-sessions': { ids: keys.userIndex(), index: keys.userSessions },
};

/**
 * IndexSweepStore on the auth DB: per page one HGET (cursor), one SSCAN, one pipeline of
 * trimExpiredIndex-1.lua (one script call per index, so every call names its key in KEYS) and
 * one HSET (next cursor).
 */
@Injectable()
export class RedisIndexSweepStore extends IndexSweepStore {
  constructor(@Inject(REDIS_AUTH) private readonly redis: Redis) {
    super();
  }

  sweepPage(index: SweptIndex, batch: number, nowMs: number): Promise<SweepPage> {
    const sweep = SWEEPS[index];
    return storageCall(async () => {
      const cursor = (await this.redis.hget(keys.jobCursors(), index)) ?? '0';
      const [next, ids] = await this.redis.sscan(sweep.ids, cursor, 'COUNT', batch);
      let removed = 0;
      if (ids.length > 0) {
        const pipeline = this.redis.pipeline();
        for (const id of ids) pipeline.trimExpiredIndex(sweep.index(id), nowMs, batch);
        for (const [err, count] of (await pipeline.exec()) ?? []) {
          if (err) throw err;
          removed += Number(count);
        }
      }
      await this.redis.hset(keys.jobCursors(), index, next);
      return { removed, visited: ids.length, finished: next === '0' };
    });
  }
}
