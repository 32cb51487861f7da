-- cleanupTokens: drains the global token cleanup index of earlier versions. Nothing writes it
-- any more (tokens are listed in per-client indexes that expire with them); this removes up to
-- ARGV[2] entries whose expiry has passed, and Redis deletes the key with its last entry.
-- A listed key that lost its TTL (e.g. restored from a dump without it) is deleted; keys that
-- still carry a TTL are left to Redis, so a pod clock running ahead can never delete a live
-- token early.
-- KEYS[1] legacy cleanup index   auth_token_cleanup (zset: token key -> expiry ms)
-- ARGV[1] now (unix ms)   ARGV[2] batch size (callers keep it <= 1000: unpack limit)
-- returns the number of entries removed

local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #expired == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(expired))
for _, tokenKey in ipairs(expired) do
  if redis.call('PTTL', tokenKey) == -1 then redis.call('DEL', tokenKey) end
end
return #expired
