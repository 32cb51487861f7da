-- deleteUser: removes a user record, its username index entry and its id from the user set
-- in one atomic step. The username key is passed by the caller (read from the record: a
-- username never changes); it is deleted only while it still points at this user.
-- KEYS[1]: auth:user:{id} (hash)
-- KEYS[2]: auth:username:{lowercased name} (string: user id)
-- KEYS[3]: auth:users (set of user ids)
-- ARGV[1]: user id
-- returns: 1 deleted; 0 there was no such user
local existed = redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('SREM', KEYS[3], ARGV[1])
return existed
