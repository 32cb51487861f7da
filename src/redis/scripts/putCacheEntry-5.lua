-- putCacheEntry: writes one service cache entry with its TTL and indexes it; when the write
-- adds an entry to a service already holding its maximum, the service's LEAST RECENTLY USED
-- entries are evicted in this same atomic step, so the limit holds under any concurrency.
-- Members whose entry has expired are dropped from the indexes first: they hold no memory
-- and must not count against the limit.
-- KEYS[1] entry hash         cache:resource:{service}:{key}
-- KEYS[2] LRU index          cache:lru:{service}
-- KEYS[3] expiry index       cache:expiry:{service}
-- KEYS[4] stats hash         cache_stats              (field {service}:evictions)
-- KEYS[5] services set       cache:services
-- ARGV[1] cache key (the index member)   ARGV[2] service
-- ARGV[3] entry key prefix of the service (keys.cacheResource(service, '')), to name victims
-- ARGV[4] TTL (ms)   ARGV[5] max entries of the service (>= 1)
-- ARGV[6] value (bytes)   ARGV[7] content type   ARGV[8] etag   ARGV[9] updated_at (ISO 8601)
-- returns {1 if the entry was created (0: replaced), live entries evicted}
-- @include cacheIndex

local ttl = tonumber(ARGV[4])
local max = tonumber(ARGV[5])
local nowMs, nowUs = serverTime()
local created = redis.call('EXISTS', KEYS[1]) == 0
local evicted = 0

if created then
  dropExpired(KEYS[2], KEYS[3], nowMs, 1000)
  local listed = redis.call('ZSCORE', KEYS[2], ARGV[1]) and 1 or 0
  -- One eviction per write normally; more only after maxEntriesPerService was lowered,
  -- bounded per write so no single call blocks Redis for long.
  local over = math.min(redis.call('ZCARD', KEYS[2]) + 1 - listed - max, 1000)
  if over > 0 then
    local victims = {}
    for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do
      if member ~= ARGV[1] then
        evicted = evicted + redis.call('DEL', ARGV[3] .. member)
        victims[#victims + 1] = member
      end
    end
    removeMembers(KEYS[2], KEYS[3], victims)
    if evicted > 0 then redis.call('HINCRBY', KEYS[4], ARGV[2] .. ':evictions', evicted) end
  end
end

redis.call('HSET', KEYS[1], 'value', ARGV[6], 'content_type', ARGV[7], 'etag', ARGV[8],
  'updated_at', ARGV[9])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], int(nowUs), ARGV[1])
redis.call('ZADD', KEYS[3], int(nowMs + ttl), ARGV[1])
keepAtLeast(KEYS[2], ttl)
keepAtLeast(KEYS[3], ttl)
redis.call('SADD', KEYS[5], ARGV[2])
return { created and 1 or 0, evicted }
