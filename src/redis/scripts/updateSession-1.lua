-- updateSession: sets fields of a live session and keeps its expiry (touch last_activity,
-- record a consent, later step-up). HSET never changes a TTL, and the key cannot expire
-- while this script runs (Redis evaluates expiry against the script's start time), so the
-- check and the write see the same key: an update never resets or drops the TTL, and never
-- revives an expired or ended session (HSET on a missing key would create one without TTL).
-- KEYS[1] session hash   auth:session:{digest}
-- ARGV field/value pairs (at least one pair)
-- returns {remaining TTL ms, field, value, ...}: the session after the update, or
--   -1 no live session (absent, or a key without expiry, which no script writes): nothing
--      written
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return -1 end

redis.call('HSET', KEYS[1], unpack(ARGV))
local reply = redis.call('HGETALL', KEYS[1])
table.insert(reply, 1, ttl)
return reply
