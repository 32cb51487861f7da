-- saveCode: stores an authorization code record (RFC 6749 section 4.1.2) by digest with
-- its TTL; never overwrites.
-- KEYS[1] code hash   auth:code:{digest}
-- ARGV[1] TTL seconds   ARGV[2..] field/value pairs
-- returns 1, or -1 if the key already exists (nothing written)

if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
