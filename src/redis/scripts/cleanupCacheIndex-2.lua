-- cleanupCacheIndex: the cache-cleanup job's step. Removes from every service's LRU and
-- expiry indexes up to ARGV[1] members whose entry has expired (the entries themselves are
-- gone: Redis expired them by TTL), forgets services left with no member, and records the
-- run in cache_cleanup_metrics.
-- Index keys are built here from prefixes (keys.ts) and the names in the services set, so
-- this script is not cluster-ready; cluster mode will need one call per service.
-- KEYS[1] services set       cache:services
-- KEYS[2] cleanup metrics    cache_cleanup_metrics (runs, removed_total, last_removed,
--                            last_run_ms)
-- ARGV[1] batch size (>= 1)   ARGV[2] LRU index prefix   ARGV[3] expiry index prefix
-- returns the number of index members removed (== ARGV[1]: more may be left)
-- @include cacheIndex

local batch = tonumber(ARGV[1])
local nowMs = serverTime()
local removed = 0
for _, service in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if removed >= batch then break end
  local lruKey, expiryKey = ARGV[2] .. service, ARGV[3] .. service
  removed = removed + dropExpired(lruKey, expiryKey, nowMs, batch - removed)
  if redis.call('ZCARD', expiryKey) == 0 and redis.call('ZCARD', lruKey) == 0 then
    redis.call('SREM', KEYS[1], service)
  end
end
redis.call('HINCRBY', KEYS[2], 'runs', 1)
redis.call('HINCRBY', KEYS[2], 'removed_total', removed)
redis.call('HSET', KEYS[2], 'last_removed', removed, 'last_run_ms', int(nowMs))
return removed
