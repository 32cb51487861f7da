-- saveClient: creates a client record or updates an existing one, keeping the client
-- index in step, in one atomic step (a create can never overwrite a client, an update
-- can never resurrect a deleted one), and announces the change to every instance's
-- client cache in the same step (no write can go unannounced).
-- KEYS[1]: auth:client:{id} (hash)
-- KEYS[2]: auth:clients (set of client ids)
-- ARGV[1]: pub/sub channel of client changes (keys.clientChangesChannel)
-- ARGV[2]: mode, 'create' or 'update'
-- ARGV[3]: client id (index member and published message)
-- ARGV[4]: n, the number of fields to remove
-- ARGV[5 .. 4+n]: field names to remove (optional fields being cleared)
-- ARGV[5+n ..]: field, value pairs to set
-- returns: 1 on success; -1 create of an existing id; -2 update of an unknown id
local mode = ARGV[2]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if mode == 'create' and exists then return -1 end
if mode == 'update' and not exists then return -2 end

local removeCount = tonumber(ARGV[4])
for i = 5, 4 + removeCount do
  redis.call('HDEL', KEYS[1], ARGV[i])
end
local first = 5 + removeCount
if #ARGV >= first then
  redis.call('HSET', KEYS[1], unpack(ARGV, first))
end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[1], ARGV[3])
return 1
