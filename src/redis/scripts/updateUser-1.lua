-- updateUser: changes fields of an existing user record (disable/enable, new password hash,
-- display name), never re-creating a deleted one.
-- KEYS[1]: auth:user:{id} (hash)
-- ARGV[1]: n, the number of fields to remove
-- ARGV[2 .. 1+n]: field names to remove (optional fields being cleared)
-- ARGV[2+n ..]: field, value pairs to set
-- returns: 1 on success; -2 unknown user
if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
local removeCount = tonumber(ARGV[1])
for i = 2, 1 + removeCount do
  redis.call('HDEL', KEYS[1], ARGV[i])
end
local first = 2 + removeCount
if #ARGV >= first then
  redis.call('HSET', KEYS[1], unpack(ARGV, first))
end
return 1
