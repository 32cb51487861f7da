-- Shared by the session scripts (expanded by script-loader.ts).

-- Drops the entries of expired sessions from a user's session index and gives the index the
-- remaining life of its longest-lived member (Redis deletes it with its last member), so the
-- index never outlives the sessions it lists and needs no cleanup job. Scores come from the
-- pods' clocks (assumed NTP-synced), like the token index.
local function trimSessionIndex(indexKey, nowMs)
  redis.call('ZREMRANGEBYSCORE', indexKey, '-inf', nowMs)
  local last = redis.call('ZRANGE', indexKey, -1, -1, 'WITHSCORES')
  if #last == 2 and tonumber(last[2]) > nowMs then
    redis.call('PEXPIRE', indexKey, tonumber(last[2]) - nowMs)
  end
end

-- Deletes one session and its entry in its user's index (prefix .. user_id). Returns the
-- user id of the session it ended, or false when there was no such session.
local function endSessionKey(sessionKey, indexPrefix, nowMs)
  local userId = redis.call('HGET', sessionKey, 'user_id')
  if redis.call('DEL', sessionKey) == 0 then return false end
  if userId then
    local indexKey = indexPrefix .. userId
    redis.call('ZREM', indexKey, sessionKey)
    trimSessionIndex(indexKey, nowMs)
  end
  return userId
end
