-- grantConsent: remembers that a user granted a client some scopes, adding them to what was
-- granted before (a later, narrower request never forgets an earlier grant).
-- KEYS[1] the user's consents   auth:consent:{user_id} (hash: client id -> scopes)
-- ARGV[1] client id   ARGV[2] scopes granted now (space separated)
-- returns the client's granted scopes after the change (space separated)

local stored = redis.call('HGET', KEYS[1], ARGV[1]) or ''
local seen, merged = {}, {}
for s in string.gmatch(stored .. ' ' .. ARGV[2], '%S+') do
  if not seen[s] then
    seen[s] = true
    table.insert(merged, s)
  end
end
local value = table.concat(merged, ' ')
redis.call('HSET', KEYS[1], ARGV[1], value)
return value
