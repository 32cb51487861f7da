-- createUser: creates a user record and claims its username in one atomic step, so two
-- concurrent creates of one name give one user: the second finds the name taken and writes
-- nothing.
-- KEYS[1]: auth:user:{id} (hash)
-- KEYS[2]: auth:username:{lowercased name} (string: user id)
-- KEYS[3]: auth:users (set of user ids)
-- ARGV[1]: user id
-- ARGV[2 ..]: field, value pairs of the record
-- returns: 1 on success; -1 the username is taken; -2 the id exists (random uuid: never expected)
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return -2 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
