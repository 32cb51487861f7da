-- undoRotation: compensates a rotation whose durable write failed (WAIT fell short, or the
-- reply was lost), so the client's retry with the same refresh token is not taken for reuse.
-- The new pair was never delivered: it is deleted. The presented token is un-rotated only if
-- this very rotation rotated it (rotated_to names the new refresh token); a token rotated
-- earlier by a delivered rotation stays rotated.
-- KEYS[1] presented refresh token hash   auth:refresh_token:{digest}
-- KEYS[2] undelivered access token hash  auth:access_token:{digest}
-- KEYS[3] undelivered refresh token hash auth:refresh_token:{digest}
-- KEYS[4] client token index             auth:client_tokens:{client_id}
-- KEYS[5] counters                       auth_stats (issued:refresh_token taken back)
-- ARGV[1] token family key prefix from keys.ts
-- returns 1 if the rotation was found and undone, 0 if there was nothing to undo (the
--   rotation never ran, or its family was revoked since)

if redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
local family = redis.call('HGET', KEYS[3], 'family')
local familyKey = ARGV[1] .. family
if redis.call('HGET', KEYS[1], 'rotated_to') == KEYS[3] then
  redis.call('HSET', KEYS[1], 'rotated', '0')
  redis.call('HDEL', KEYS[1], 'rotated_at', 'rotated_to')
  redis.call('SADD', familyKey, KEYS[1])
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', familyKey, KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], KEYS[2], KEYS[3])
redis.call('HINCRBY', KEYS[5], 'issued:refresh_token', -1)
return 1
