import {
  checkContentType,
  checkKey,
  checkService,
  parseIfNoneMatch,
  resolveTtl,
  strongEtag,
} from '../../../src/cache/cache-request';
import { CacheRequestError } from '../../../src/cache/cache.errors';

const limits = { defaultTtlSeconds: 86400, maxTtlSeconds: 604800 };

describe('cache request rules', () => {
  it('takes the TTL from Cache-TTL or ?ttl=, else the default', () => {
    expect(resolveTtl(undefined, undefined, limits)).toBe(86400);
    expect(resolveTtl('60', undefined, limits)).toBe(60);
    expect(resolveTtl(undefined, '604800', limits)).toBe(604800);
    expect(resolveTtl('60', '60', limits)).toBe(60);
  });

  it.each([
    ['604801', undefined],
    ['0', undefined],
    ['-5', undefined],
    ['1e3', undefined],
    ['', undefined],
    ['60', '61'],
  ])('refuses the TTL header %p / query %p', (header, query) => {
    expect(() => resolveTtl(header, query, limits)).toThrow(CacheRequestError);
  });

  it('accepts keys and services by their documented charsets only', () => {
    expect(checkKey('user:42@v2.json')).toBe('user:42@v2.json');
    for (const key of ['', 'a b', 'a/b', 'é', 'k'.repeat(513)]) {
      expect(() => checkKey(key)).toThrow(CacheRequestError);
    }
    expect(checkService('orders-v2')).toBe('orders-v2');
    for (const service of ['Orders', 'a:b', '_x', '']) {
      expect(() => checkService(service)).toThrow(CacheRequestError);
    }
  });

  it('stores application/octet-stream when no content type came, refuses control characters', () => {
    expect(checkContentType(undefined)).toBe('application/octet-stream');
    expect(checkContentType('text/plain; charset=utf-8')).toBe('text/plain; charset=utf-8');
    expect(() => checkContentType('text/plain\r\nX-Evil: 1')).toThrow(CacheRequestError);
  });

  it('makes a strong etag from the value bytes only', () => {
    const a = strongEtag(Buffer.from('value'));
    expect(a).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(strongEtag(Buffer.from('value'))).toBe(a);
    expect(strongEtag(Buffer.from('value!'))).not.toBe(a);
  });

  it('reads If-None-Match with the weak comparison, dropping tags that cannot match', () => {
    expect(parseIfNoneMatch('"a", W/"b" , *, bare, "with space"')).toEqual(['"a"', '"b"', '*']);
    expect(parseIfNoneMatch(undefined)).toEqual([]);
    expect(() => parseIfNoneMatch(Array(51).fill('"x"').join(','))).toThrow(CacheRequestError);
  });
});
