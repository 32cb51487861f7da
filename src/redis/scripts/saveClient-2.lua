-- saveClient: creates a client record or updates an existing one, keeping the client
-- index in step, in one atomic step (a create can never overwrite a client, an update
-- can never resurrect a deleted one).
-- KEYS[1]: auth:client:{id} (hash)
-- KEYS[2]: auth:clients (set of client ids)
-- ARGV[1]: mode, 'create' or 'update'
-- ARGV[2]: client id (index member)
-- ARGV[3]: n, the number of fields to remove
-- ARGV[4 .. 3+n]: field names to remove (optional fields being cleared)
-- ARGV[4+n ..]: field, value pairs to set
-- returns: 1 on success; -1 create of an existing id; -2 update of an unknown id
local mode = ARGV[1]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if mode == 'create' and exists then return -1 end
if mode == 'update' and not exists then return -2 end

local removeCount = tonumber(ARGV[3])
for i = 4, 3 + removeCount do
  redis.call('HDEL', KEYS[1], ARGV[i])
end
local first = 4 + removeCount
if #ARGV >= first then
  redis.call('HSET', KEYS[1], unpack(ARGV, first))
end
redis.call('SADD', KEYS[2], ARGV[2])
return 1
