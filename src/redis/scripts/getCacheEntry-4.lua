-- getCacheEntry: reads one service cache entry, and in the same atomic step records the
-- access: recency in the service's LRU index and a hit or miss in the stats hash.
-- KEYS[1] entry hash         cache:resource:{service}:{key}
-- KEYS[2] LRU index          cache:lru:{service}      (zset: key -> last access, server us)
-- KEYS[3] expiry index       cache:expiry:{service}   (zset: key -> expiry, server ms)
-- KEYS[4] stats hash         cache_stats              (fields {service}:hits / :misses)
-- ARGV[1] cache key (the index member)   ARGV[2] service
-- ARGV[3] entity tags of If-None-Match, space-separated, weak prefixes removed ('' = none;
--         '*' matches any entry)
-- returns 0 on a miss (an index member left by an expired entry is dropped), else
-- {1, etag, content_type, updated_at, value} or, when an If-None-Match tag matches,
-- {2, etag, content_type, updated_at, ''} (304: the value is not sent back)
-- @include cacheIndex

local fields = redis.call('HMGET', KEYS[1], 'etag', 'content_type', 'updated_at')
if not fields[1] then
  redis.call('HINCRBY', KEYS[4], ARGV[2] .. ':misses', 1)
  removeMembers(KEYS[2], KEYS[3], { ARGV[1] })
  return 0
end
local _, nowUs = serverTime()
redis.call('ZADD', KEYS[2], int(nowUs), ARGV[1])
redis.call('HINCRBY', KEYS[4], ARGV[2] .. ':hits', 1)
for tag in string.gmatch(ARGV[3], '%S+') do
  if tag == '*' or tag == fields[1] then
    return { 2, fields[1], fields[2], fields[3], '' }
  end
end
return { 1, fields[1], fields[2], fields[3], redis.call('HGET', KEYS[1], 'value') }
