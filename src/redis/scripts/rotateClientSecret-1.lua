-- rotateClientSecret: replaces a confidential client's secret hash, keeping the old one
-- valid for the grace period, atomically (two concurrent rotations cannot both keep
-- the same "previous" secret, and no reader sees a record without any valid secret), and
-- announces the change to every instance's client cache in the same step.
-- KEYS[1]: auth:client:{id} (hash)
-- ARGV[1]: new secret hash (SHA-256 hex)
-- ARGV[2]: unix ms until which the replaced secret stays valid; '0' drops it at once
-- ARGV[3]: updated_at (ISO 8601)
-- ARGV[4]: pub/sub channel of client changes (keys.clientChangesChannel)
-- ARGV[5]: client id (published message)
-- returns: 1 on success; -2 unknown client; -3 public client (it has no secret)
if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
if redis.call('HGET', KEYS[1], 'type') ~= 'confidential' then return -3 end

local old = redis.call('HGET', KEYS[1], 'secret_hash')
if ARGV[2] ~= '0' and old then
  redis.call('HSET', KEYS[1], 'previous_secret_hash', old, 'previous_secret_expires_at', ARGV[2])
else
  redis.call('HDEL', KEYS[1], 'previous_secret_hash', 'previous_secret_expires_at')
end
redis.call('HSET', KEYS[1], 'secret_hash', ARGV[1], 'updated_at', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
