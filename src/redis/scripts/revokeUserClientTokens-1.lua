-- revokeUserClientTokens: revokes every token a user holds for one client, with their whole
-- rotation families (a consent revoked: the client loses what the user gave it).
-- KEYS[1] user token index   auth:user_tokens:{user_id} (zset: token key -> expiry ms)
-- ARGV[1] client id
-- ARGV[2..5] key prefixes from keys.ts: token family, access token, refresh token, blacklist
-- ARGV[6] client token index prefix (the client's index is named from ARGV[1] here)
-- returns the number of token records revoked
-- @include revokeTokens

local prefixes = { family = ARGV[2], access = ARGV[3], refresh = ARGV[4], blacklist = ARGV[5] }
local clientIndex = ARGV[6] .. ARGV[1]
local revoked, families = 0, {}
for _, tokenKey in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local t = redis.call('HMGET', tokenKey, 'client_id', 'family')
  local digest = digestOfTokenKey(tokenKey, prefixes.access, prefixes.refresh)
  if t[1] == ARGV[1] and digest then
    if t[2] then families[t[2]] = true end
    revoked = revoked + revokeTokenKey(tokenKey, prefixes.blacklist .. digest, clientIndex)
    redis.call('ZREM', KEYS[1], tokenKey)
  end
end
for family in pairs(families) do
  revoked = revoked + revokeFamily(prefixes.family .. family, prefixes, clientIndex)
end
return revoked
