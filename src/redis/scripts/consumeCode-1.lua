-- consumeCode: atomic get-and-delete of an authorization code, so a code can be redeemed
-- once only even by concurrent requests (RFC 6749 section 4.1.2).
-- KEYS[1] code hash   auth:code:{digest}
-- ARGV: none
-- returns the record as a flat field/value list, or false if unknown, expired or used

local record = redis.call('HGETALL', KEYS[1])
if #record == 0 then return false end
redis.call('DEL', KEYS[1])
return record
