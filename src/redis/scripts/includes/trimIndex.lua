-- Shared by the token and session scripts (expanded by script-loader.ts).

-- Drops the entries of expired members (score = expiry in unix ms) from an index sorted set
-- (a client's or user's tokens, a user's sessions) and gives the index the remaining life
-- of its longest-lived member, so Redis deletes it with its last member: the index never
-- outlives what it lists and needs no cleanup job. Scores come from the pods' clocks, like
-- the `exp` that introspection checks: pods are assumed NTP-synced; a pod running ahead
-- drops entries of members about to expire early.
local function trimIndex(indexKey, nowMs)
  redis.call('ZREMRANGEBYSCORE', indexKey, '-inf', nowMs)
  local last = redis.call('ZRANGE', indexKey, -1, -1, 'WITHSCORES')
  if #last == 2 and tonumber(last[2]) > nowMs then
    redis.call('PEXPIRE', indexKey, tonumber(last[2]) - nowMs)
  end
end
