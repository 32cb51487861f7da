#!lua flags=no-writes
-- readCacheStats: a service's live entry count and its counters, READ-ONLY, one round trip.
-- KEYS[1] expiry index   cache:expiry:{service}
-- KEYS[2] stats hash     cache_stats
-- KEYS[3] LRU index      cache:lru:{service} (unused; named so the script declares every key
--                        of the service it depends on)
-- ARGV[1] service
-- returns {live entries, hits, misses, evictions}; expired members not yet cleaned up are
-- not counted

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZCOUNT', KEYS[1], string.format('%.0f', nowMs), '+inf')
local c = redis.call('HMGET', KEYS[2], ARGV[1] .. ':hits', ARGV[1] .. ':misses',
  ARGV[1] .. ':evictions')
return { live, tonumber(c[1] or 0), tonumber(c[2] or 0), tonumber(c[3] or 0) }
