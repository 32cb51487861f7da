-- Shared by the token and session scripts and the cleanup job (expanded by script-loader.ts).

-- Drops the entries of expired members (score = expiry in unix ms) from an index sorted set
-- (a client's or user's tokens, a user's sessions) and gives the index the remaining life
-- of its longest-lived member, so Redis deletes it with its last member: the index never
-- outlives what it lists. Scores come from the pods' clocks, like the `exp` that
-- introspection checks: pods are assumed NTP-synced; a pod running ahead drops entries of
-- members about to expire early.
-- `limit` (optional, the cleanup job's batch): drop at most that many, the soonest expired
-- first (lowest scores are ranks 0..n-1), so one call on a huge index stays bounded.
-- Returns the number of entries dropped.
local function trimIndex(indexKey, nowMs, limit)
  local removed
  if limit then
    local expired = redis.call('ZCOUNT', indexKey, '-inf', nowMs)
    removed = math.min(expired, limit)
    if removed > 0 then redis.call('ZREMRANGEBYRANK', indexKey, 0, removed - 1) end
  else
    removed = redis.call('ZREMRANGEBYSCORE', indexKey, '-inf', nowMs)
  end
  local last = redis.call('ZRANGE', indexKey, -1, -1, 'WITHSCORES')
  if #last == 2 and tonumber(last[2]) > nowMs then
    redis.call('PEXPIRE', indexKey, tonumber(last[2]) - nowMs)
  end
  return removed
end
