-- endSession: ends one session (logout, an admin ending one of a user's sessions) and drops
-- it from its user's session index, in one atomic step.
-- KEYS[1] session hash   auth:session:{digest}
-- ARGV[1] user session index prefix (keys.userSessions(''))   ARGV[2] now (unix ms)
-- ARGV[3] the user the session must belong to ('' = any)
-- returns the user id of the ended session, or '' when there was no such session (absent,
-- expired, or another user's: nothing written)
-- @include trimIndex
-- @include sessionIndex

if ARGV[3] ~= '' and redis.call('HGET', KEYS[1], 'user_id') ~= ARGV[3] then return '' end
return endSessionKey(KEYS[1], ARGV[1], tonumber(ARGV[2])) or ''
