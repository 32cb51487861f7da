import type Redis from 'ioredis';
import type { DurableWriter } from '../../../src/redis/durable-writer';
import { RedisUnavailableException } from '../../../src/redis/redis-unavailable';
import { RedisTokenStore } from '../../../src/tokens/redis-token.store';

/** The store's error boundary only; its Redis behaviour is tested on real Redis (integration). */
describe('RedisTokenStore error boundary', () => {
  const closed = () => Promise.reject(new Error('Connection is closed.'));

  it('turns a Redis outage into RedisUnavailableException (503)', async () => {
    const redis = { introspectToken: closed, hgetall: closed } as unknown as Redis;
    const writer = { write: closed } as unknown as DurableWriter;
    const store = new RedisTokenStore(redis, writer);
    await expect(store.find('d', undefined, 1)).rejects.toThrow(RedisUnavailableException);
    await expect(store.stats()).rejects.toThrow(RedisUnavailableException);
    await expect(store.revokeAllForClient('app')).rejects.toThrow(RedisUnavailableException);
  });

  it('lets other errors through unchanged', async () => {
    const bug = new TypeError('bug');
    const redis = { introspectToken: () => Promise.reject(bug) } as unknown as Redis;
    const store = new RedisTokenStore(redis, {} as DurableWriter);
    await expect(store.find('d', undefined, 1)).rejects.toBe(bug);
  });
});
