-- createSession: stores a new browser session and lists it in its user's session index, in
-- one atomic step. At login it also ends the session the browser presented (`replace`: a new
-- id at every login, so an id planted before login is worthless, i.e. no session fixation);
-- `rotate` gives a live session a new id instead: same user, its fields carried over, and
-- no longer life than the old id had left.
-- Sessions are addressed by the SHA-256 digest of their id.
-- KEYS[1] new session hash        auth:session:{digest}
-- KEYS[2] user session index      auth:user_sessions:{user_id} (zset: session key -> expiry ms)
-- KEYS[3] previous session hash   auth:session:{digest} (= KEYS[1] when ARGV[3] is `none`)
-- ARGV[1] now (unix ms)   ARGV[2] TTL (ms)   ARGV[3] previous session: none | replace | rotate
-- ARGV[4] user session index prefix (keys.userSessions(''))   ARGV[5] user id
-- ARGV[6..] field/value pairs of the new session (user_id among them)
-- returns {TTL ms of the new session, 1 if a previous session was ended else 0}, or (nothing
-- written)
--   -1 the new session key exists (256 random bits: never expected)
--   -2 rotate: the previous session is gone (ended, expired) or belongs to another user
-- @include trimIndex
-- @include sessionIndex

local nowMs = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local mode = ARGV[3]

if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end

local carried = {}
if mode == 'rotate' then
  local left = redis.call('PTTL', KEYS[3])
  if left <= 0 or redis.call('HGET', KEYS[3], 'user_id') ~= ARGV[5] then return -2 end
  ttl = math.min(ttl, left)
  carried = redis.call('HGETALL', KEYS[3])
end

local ended = 0
if mode ~= 'none' and endSessionKey(KEYS[3], ARGV[4], nowMs) then ended = 1 end

if #carried > 0 then redis.call('HSET', KEYS[1], unpack(carried)) end
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], nowMs + ttl, KEYS[1])
trimIndex(KEYS[2], nowMs)
return { ttl, ended }
