-- rotateRefreshToken: redeems a refresh token (RFC 6749 section 6) with rotation and reuse
-- detection (RFC 9700 section 4.14.2), in one atomic step:
-- valid and unused -> mark it rotated (rotated_at, rotated_to; its record stays until expiry,
-- so a later reuse is recognised) and issue a new access + refresh token in the same family;
-- rotated less than the grace period ago -> issue another pair in the family, revoke nothing
-- (a client retrying a lost response, or racing itself, is not a thief);
-- rotated earlier (or grace 0) -> revoke every live token of the family, count refresh_reuse.
-- The client is checked as it is now: same generation, and the new scope is cut down to the
-- scopes it is still allowed (a removed scope never comes back).
-- KEYS[1] presented refresh token hash   auth:refresh_token:{digest}
-- KEYS[2] its blacklist entry            auth:blacklist:{digest}
-- KEYS[3] new access token hash          auth:access_token:{digest}
-- KEYS[4] new refresh token hash         auth:refresh_token:{digest}
-- KEYS[5] client record                  auth:client:{client_id} (field `generation`)
-- KEYS[6] client token index             auth:client_tokens:{client_id}
-- KEYS[7] counters                       auth_stats
-- KEYS[8] the client's rate limit        auth:rate_limit:client:{client_id} (unused when ARGV[15] <= 0)
-- ARGV[1] client_id presenting the token   ARGV[2] now (unix ms)
-- ARGV[3] access TTL seconds   ARGV[4] refresh TTL seconds (capped by the family's family_exp)
-- ARGV[5] requested scope, space separated ('' = as originally granted)
-- ARGV[6] scopes the client is allowed now, space separated
-- ARGV[7] the client's generation as the caller authenticated it
-- ARGV[8] reuse grace period (ms; 0 = strict)
-- ARGV[9] absolute family lifetime (seconds), only for tokens stored without family_exp
-- ARGV[10..13] key prefixes from keys.ts: token family, access token, refresh token, blacklist.
--   The family key and its members' keys are only known here; cluster mode will need them
--   (and KEYS) to share a per-family hash tag.
-- ARGV[14] user token index prefix from keys.ts (auth:user_tokens:): the user id is only known
--   here, from the presented token; the new pair joins that user's index.
-- ARGV[15] rate limit (requests per window; <= 0 = none)   ARGV[16] its window (ms)
-- ARGV[17] user record prefix from keys.ts (auth:user:): a token issued for a user is only
--   rotated while that user exists and is not disabled (as redeemCode checks), so a refresh
--   racing a disable or delete cannot mint a token the user's revocation has already missed.
-- returns { new access token's scope, new refresh token's TTL seconds }, or
--   { -7, retry after ms } the client is over its rate limit (checked first, nothing else done)
--   -1 unknown, expired, revoked, past its family's end, or another client's, or an earlier
--      incarnation's of this client id (nothing written)
--   -2 reuse of a rotated token (family revoked, refresh_reuse counted)
--   -3 requested scope is not a subset of the granted scope (nothing written)
--   -4 a new token key already exists (nothing written; 256 random bits: never expected)
--   -5 the client was deleted or re-created (nothing written)
--   -6 requested scope is no longer allowed, or none of the granted scope is (nothing written)
--   -8 the token's user was deleted or disabled (its family is revoked, nothing issued)
-- @include trimIndex
-- @include writeToken
-- @include revokeTokens
-- @include rateLimit

local clientId, nowMs = ARGV[1], tonumber(ARGV[2])
local now = math.floor(nowMs / 1000)
local accessTtl, refreshTtl = tonumber(ARGV[3]), tonumber(ARGV[4])
local prefixes = { family = ARGV[10], access = ARGV[11], refresh = ARGV[12], blacklist = ARGV[13] }

local charge = chargeRateLimit(KEYS[8], ARGV[15], ARGV[16])
if charge[1] == 0 then return rateLimited(charge) end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local t = redis.call('HMGET', KEYS[1], 'kind', 'client_id', 'user_id', 'scope', 'family', 'rotated',
  'exp', 'family_exp', 'rotated_at', 'client_generation')
local kind, owner, userId, granted, family = t[1], t[2], t[3] or '', t[4] or '', t[5]
local rotated, exp, familyExp, rotatedAt = t[6] == '1', tonumber(t[7]), t[8], tonumber(t[9])
if kind ~= 'refresh_token' or owner ~= clientId or not family then return -1 end
if exp <= now then return -1 end
if not clientUnchanged(KEYS[5], ARGV[7]) then return -5 end
-- Issued to an earlier incarnation of this client id (deleted, then re-created): not its token.
if t[10] and t[10] ~= ARGV[7] then return -1 end
familyExp = tonumber(familyExp) or (now + tonumber(ARGV[9]))
if familyExp <= now then return -1 end

local familyKey = prefixes.family .. family
-- A revoked family has no set any more: none of its tokens may mint new ones.
if redis.call('EXISTS', familyKey) == 0 then return -1 end
-- The user as they are now: a disabled or deleted user's grant is over, whatever their
-- revocation reached (tokens issued before the user index existed, or a race with it).
if userId ~= '' then
  local user = redis.call('HMGET', ARGV[17] .. userId, 'id', 'disabled')
  if not user[1] or user[2] == '1' then
    revokeFamily(familyKey, prefixes, KEYS[6])
    return -8
  end
end
if rotated and not (rotatedAt and nowMs < rotatedAt + tonumber(ARGV[8])) then
  revokeFamily(familyKey, prefixes, KEYS[6])
  redis.call('HINCRBY', KEYS[7], 'refresh_reuse', 1)
  return -2
end

-- RFC 6749 section 6: a requested scope must be part of the original grant; and the client
-- must still be allowed every scope it gets.
local function set(list)
  local s = {}
  for item in string.gmatch(list, '%S+') do s[item] = true end
  return s
end
local grantedSet, allowed = set(granted), set(ARGV[6])
local kept = {}
for s in string.gmatch(granted, '%S+') do
  if allowed[s] then table.insert(kept, s) end
end
if granted ~= '' and #kept == 0 then return -6 end
local keptScope, scope = table.concat(kept, ' '), table.concat(kept, ' ')
if ARGV[5] ~= '' then
  for s in string.gmatch(ARGV[5], '%S+') do
    if not grantedSet[s] then return -3 end
    if not allowed[s] then return -6 end
  end
  scope = ARGV[5]
end
if redis.call('EXISTS', KEYS[3]) == 1 or redis.call('EXISTS', KEYS[4]) == 1 then return -4 end

if not rotated then
  redis.call('HSET', KEYS[1], 'rotated', '1', 'rotated_at', nowMs, 'rotated_to', KEYS[4])
  -- The family holds only live credentials: drop the rotated token and members that expired,
  -- which keeps a long-lived, often-rotated family small without a separate index.
  redis.call('SREM', familyKey, KEYS[1])
  for _, member in ipairs(redis.call('SMEMBERS', familyKey)) do
    if redis.call('EXISTS', member) == 0 then redis.call('SREM', familyKey, member) end
  end
end

local userIndex = userId ~= '' and (ARGV[14] .. userId) or nil
-- The family ends at family_exp however often it is rotated (absolute lifetime).
local newRefreshTtl = math.min(refreshTtl, familyExp - now)
local accessExp, refreshExp = now + accessTtl, now + newRefreshTtl
writeToken(KEYS[3],
  tokenFields('access_token', clientId, ARGV[7], userId, scope, now, accessExp, family, familyExp),
  accessTtl, accessExp, KEYS[6], userIndex)
-- RFC 6749 section 6: the new refresh token keeps the granted scope, less what the client lost.
writeToken(KEYS[4],
  tokenFields('refresh_token', clientId, ARGV[7], userId, keptScope, now, refreshExp, family, familyExp),
  newRefreshTtl, refreshExp, KEYS[6], userIndex)
redis.call('SADD', familyKey, KEYS[3], KEYS[4])
-- Extend (never shorten) the family's life to cover its newest members.
local familyTtlMs = math.max(accessTtl, newRefreshTtl) * 1000
-- PTTL is -1 for a key without TTL, so that case extends too.
if redis.call('PTTL', familyKey) < familyTtlMs then
  redis.call('PEXPIRE', familyKey, familyTtlMs)
end
trimIndex(KEYS[6], now * 1000)
if userIndex then trimIndex(userIndex, now * 1000) end
redis.call('HINCRBY', KEYS[7], 'issued:refresh_token', 1)
return { scope, newRefreshTtl }
