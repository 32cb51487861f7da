-- trimExpiredIndex: the cleanup job's step for one index sorted set (a client's or user's
-- tokens, a user's sessions): drops up to ARGV[2] entries whose expiry has passed and gives
-- the index the remaining life of its longest-lived member (see includes/trimIndex.lua).
-- Indexes are trimmed on every write already; this reaches those of clients and users that
-- stopped receiving writes, whose expired entries would otherwise stay until the index's TTL.
-- The listed tokens and sessions are not touched: they expire by their own TTL.
-- KEYS[1] index   auth:client_tokens:{id} | auth:user_tokens:{id} | auth:user_sessions:{id}
-- ARGV[1] now (unix ms)   ARGV[2] most entries to drop (>= 1)
-- returns the number of entries dropped

-- @include trimIndex

if redis.call('TYPE', KEYS[1]).ok ~= 'zset' then return 0 end
return trimIndex(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
