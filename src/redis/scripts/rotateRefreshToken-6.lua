-- rotateRefreshToken: redeems a refresh token (RFC 6749 section 6) with rotation and reuse
-- detection (RFC 9700 section 4.14.2), in one atomic step:
-- valid and unused -> mark it rotated (its record stays until expiry, so a later reuse is
-- recognised), issue a new access + refresh token in the same family;
-- already rotated -> revoke every live token of the family, count refresh_reuse.
-- KEYS[1] presented refresh token hash   auth:refresh_token:{digest}
-- KEYS[2] its blacklist entry            auth:blacklist:{digest}
-- KEYS[3] new access token hash          auth:access_token:{digest}
-- KEYS[4] new refresh token hash         auth:refresh_token:{digest}
-- KEYS[5] cleanup index                  auth_token_cleanup
-- KEYS[6] counters                       auth_stats
-- ARGV[1] client_id presenting the token   ARGV[2] now (unix seconds)
-- ARGV[3] access TTL seconds   ARGV[4] refresh TTL seconds
-- ARGV[5] requested scope, space separated ('' = as originally granted)
-- ARGV[6..9] key prefixes from keys.ts: token family, access token, refresh token, blacklist.
--   The family key and its members' keys are only known here; cluster mode will need them
--   (and KEYS) to share a per-family hash tag.
-- returns the new access token's scope (string), or
--   -1 unknown, expired, revoked or another client's token (nothing written)
--   -2 reuse of a rotated token (family revoked, refresh_reuse counted)
--   -3 requested scope is not a subset of the granted scope (nothing written)
--   -4 a new token key already exists (nothing written; 256 random bits: never expected)
-- @include writeToken
-- @include revokeTokens

local clientId, now = ARGV[1], tonumber(ARGV[2])
local accessTtl, refreshTtl = tonumber(ARGV[3]), tonumber(ARGV[4])
local prefixes = { family = ARGV[6], access = ARGV[7], refresh = ARGV[8], blacklist = ARGV[9] }

if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local t = redis.call('HMGET', KEYS[1], 'kind', 'client_id', 'user_id', 'scope', 'family', 'rotated', 'exp')
local kind, owner, userId, granted, family, rotated, exp = t[1], t[2], t[3] or '', t[4], t[5], t[6], t[7]
if kind ~= 'refresh_token' or owner ~= clientId or not family then return -1 end
if tonumber(exp) <= now then return -1 end

local familyKey = prefixes.family .. family
if rotated == '1' then
  revokeFamily(familyKey, prefixes, KEYS[5])
  redis.call('HINCRBY', KEYS[6], 'refresh_reuse', 1)
  return -2
end

-- RFC 6749 section 6: the new access token's scope must be a subset of the original grant.
local scope = granted
if ARGV[5] ~= '' then
  local allowed = {}
  for s in string.gmatch(granted, '%S+') do allowed[s] = true end
  for s in string.gmatch(ARGV[5], '%S+') do
    if not allowed[s] then return -3 end
  end
  scope = ARGV[5]
end
if redis.call('EXISTS', KEYS[3]) == 1 or redis.call('EXISTS', KEYS[4]) == 1 then return -4 end

redis.call('HSET', KEYS[1], 'rotated', '1')
-- The family holds only live credentials: drop the rotated token and members that expired,
-- which keeps a long-lived, often-rotated family small without a separate index.
redis.call('SREM', familyKey, KEYS[1])
for _, member in ipairs(redis.call('SMEMBERS', familyKey)) do
  if redis.call('EXISTS', member) == 0 then redis.call('SREM', familyKey, member) end
end

local accessExp, refreshExp = now + accessTtl, now + refreshTtl
writeToken(KEYS[3], tokenFields('access_token', clientId, userId, scope, now, accessExp, family),
  accessTtl, accessExp, KEYS[5])
-- RFC 6749 section 6: a new refresh token keeps the scope of the one it replaces.
writeToken(KEYS[4], tokenFields('refresh_token', clientId, userId, granted, now, refreshExp, family),
  refreshTtl, refreshExp, KEYS[5])
redis.call('SADD', familyKey, KEYS[3], KEYS[4])
-- Extend (never shorten) the family's life to cover its newest members.
local familyTtlMs = math.max(accessTtl, refreshTtl) * 1000
-- PTTL is -1 for a key without TTL (the set was just created), so that case extends too.
if redis.call('PTTL', familyKey) < familyTtlMs then
  redis.call('PEXPIRE', familyKey, familyTtlMs)
end
redis.call('HINCRBY', KEYS[6], 'issued:refresh_token', 1)
return scope
