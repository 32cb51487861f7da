import { backoffDelay } from '../../../src/redis/connection-state';
import { classifyLatency } from '../../../src/redis/redis-inspector';
import { isRedisOutage, RedisUnavailableException } from '../../../src/redis/redis-unavailable';

describe('backoffDelay', () => {
  it('follows 1 s, 2 s, 4 s, 8 s, then the 15 s cap forever', () => {
    const delays = [1, 2, 3, 4, 5, 6, 50, 1000].map((n) => backoffDelay(n, 1000, 15000));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000]);
  });
});

describe('classifyLatency', () => {
  it('classes PING latency as fast, normal or slow', () => {
    expect([0.3, 4.9, 5, 49, 50, 400].map(classifyLatency)).toEqual([
      'fast',
      'fast',
      'normal',
      'normal',
      'slow',
      'slow',
    ]);
  });
});

describe('isRedisOutage', () => {
  it('recognises connection loss, timeouts and failover replies', () => {
    for (const msg of [
      "Stream isn't writeable and enableOfflineQueue options is false",
      'Connection is closed.',
      'Command timed out',
      "READONLY You can't write against a read only replica.",
      'LOADING Redis is loading the dataset in memory',
    ]) {
      expect(isRedisOutage(new Error(msg))).toBe(true);
    }
    expect(isRedisOutage(new RedisUnavailableException('failed'))).toBe(true);
  });

  it('does not treat programming errors as outages', () => {
    expect(isRedisOutage(new TypeError('x is undefined'))).toBe(false);
    expect(isRedisOutage(new Error('WRONGTYPE Operation against a key'))).toBe(false);
    expect(isRedisOutage('READONLY')).toBe(false);
  });
});
