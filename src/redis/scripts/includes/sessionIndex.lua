-- Shared by the session scripts (expanded by script-loader.ts); needs `-- @include trimIndex`
-- before it.

-- Deletes one session and its entry in its user's index (prefix .. user_id). Returns the
-- user id of the session it ended, or false when there was no such session.
local function endSessionKey(sessionKey, indexPrefix, nowMs)
  local userId = redis.call('HGET', sessionKey, 'user_id')
  if redis.call('DEL', sessionKey) == 0 then return false end
  if userId then
    local indexKey = indexPrefix .. userId
    redis.call('ZREM', indexKey, sessionKey)
    trimIndex(indexKey, nowMs)
  end
  return userId
end
