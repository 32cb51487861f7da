-- Shared by the service cache scripts (expanded by script-loader.ts).
-- A service's entries are listed in two sorted sets with the same members (cache keys):
-- the LRU index (score = last access, server microseconds) and the expiry index (score =
-- expiry, server ms). Times come from the Redis server (TIME), not from the pods: Redis
-- expires the entries by its own clock, and LRU order must not depend on which pod wrote.

-- Server time: {ms, us} as integral doubles (exact: below 2^53).
local function serverTime()
  local t = redis.call('TIME')
  local us = tonumber(t[1]) * 1000000 + tonumber(t[2])
  return math.floor(us / 1000), us
end

-- A double as the integer string ZADD expects (tostring would print 1.7e+15).
local function int(n)
  return string.format('%.0f', n)
end

-- Removes `members` from both indexes, in chunks (Lua's unpack is bounded by its C stack).
local function removeMembers(lruKey, expiryKey, members)
  for i = 1, #members, 500 do
    local chunk = { unpack(members, i, math.min(i + 499, #members)) }
    redis.call('ZREM', lruKey, unpack(chunk))
    redis.call('ZREM', expiryKey, unpack(chunk))
  end
end

-- Drops up to `limit` members whose entry has expired (expiry < now: Redis deletes a key once
-- its deadline is past) from both indexes; returns how many.
local function dropExpired(lruKey, expiryKey, nowMs, limit)
  local expired = redis.call('ZRANGEBYSCORE', expiryKey, '-inf', '(' .. int(nowMs), 'LIMIT', 0, limit)
  removeMembers(lruKey, expiryKey, expired)
  return #expired
end

-- Gives an index at least `ttlMs` more life, never less than it has: the index then lives
-- as long as its longest-lived entry (and at most that long after it), never forever.
local function keepAtLeast(indexKey, ttlMs)
  local left = redis.call('PTTL', indexKey)
  if left == -1 or left < ttlMs then redis.call('PEXPIRE', indexKey, ttlMs) end
end
