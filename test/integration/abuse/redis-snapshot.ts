/**
 * Every auth key of DB 0 with its content, to assert that a refused request changed nothing.
 * Rate-limit counters are left out: charging the caller's IP is the one write a refused
 * request is allowed (docs/rate-limiting.md).
 */
import type Redis from 'ioredis';

export async function authState(redis: Redis): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const key of (await redis.keys('auth:*')).sort()) {
    if (key.startsWith('auth:rate_limit:')) continue;
    const type = await redis.type(key);
    if (type === 'hash') state[key] = await redis.hgetall(key);
    else if (type === 'string') state[key] = await redis.get(key);
    else if (type === 'set') state[key] = (await redis.smembers(key)).sort();
    else if (type === 'zset') state[key] = await redis.zrange(key, '0', '-1', 'WITHSCORES');
    else state[key] = type;
  }
  return state;
}
