-- endUserSessions: ends every session of one user (sign out everywhere, user disabled or
-- deleted) and deletes the user's session index, in one atomic step. Sessions that expired
-- on their own are already gone; the cost is linear in the user's live sessions.
-- KEYS[1] user session index   auth:user_sessions:{user_id} (zset: session key -> expiry ms)
-- ARGV[1] user id (a listed session of another user, never expected, is left alone)
-- returns the number of sessions ended
local ended = 0
for _, sessionKey in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('HGET', sessionKey, 'user_id') == ARGV[1] then
    ended = ended + redis.call('DEL', sessionKey)
  end
end
redis.call('DEL', KEYS[1])
return ended
