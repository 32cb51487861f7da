-- redeemCode: redeems an authorization code and issues its tokens in ONE atomic step
-- (RFC 6749 sections 4.1.2 and 4.1.3), so concurrent redemptions give exactly one success.
-- A code is never deleted on use: it is marked `used` (kept until its TTL) and remembers
-- the token family its tokens were issued under. A second presentation is a replay: the
-- family (access and refresh tokens, every rotation since) is revoked (RFC 6749 section
-- 4.1.2: "SHOULD revoke all tokens previously issued based on that authorization code").
-- Every token of a code gets a family, with or without a refresh token, so that replay
-- revokes an access token issued alone too.
-- The code is spent by the first presentation even when a check below fails.
-- KEYS[1] code hash            auth:code:{digest}
-- KEYS[2] access token hash    auth:access_token:{digest}
-- KEYS[3] refresh token hash   auth:refresh_token:{digest}  (unused when ARGV[6] = 0)
-- KEYS[4] token family set     auth:token_family:{id}
-- KEYS[5] client record        auth:client:{client_id}      (field `generation`)
-- KEYS[6] client token index   auth:client_tokens:{client_id}
-- KEYS[7] counters             auth_stats
-- KEYS[8] the client's rate limit auth:rate_limit:client:{client_id} (unused when ARGV[17] <= 0)
-- ARGV[1] client_id presenting the code   ARGV[2] redirect_uri presented
-- ARGV[3] BASE64URL(SHA256(code_verifier)), '' when none was sent: compared with the stored
--         challenge. Plain equality is fine: the challenge travelled in the front channel, it
--         is no secret. A code stored with code_challenge_method `none` (issued without PKCE
--         to a client with require_pkce=false) takes no verifier: one sent is a PKCE
--         downgrade attempt (RFC 9700 section 2.1.1). Any other code needs the right verifier.
-- ARGV[4] now (unix seconds)   ARGV[5] access TTL   ARGV[6] refresh TTL (0 = no refresh token)
-- ARGV[7] new family id        ARGV[8] family_exp (unix seconds)
-- ARGV[9] the client's generation as authenticated   ARGV[10] the client's scopes (space separated)
-- ARGV[11..15] key prefixes from keys.ts: user record, user token index, token family,
--   access token, refresh token; ARGV[16] blacklist prefix.
-- ARGV[17] rate limit (requests per window; <= 0 = none)   ARGV[18] its window (ms). Keys named from the code's
--   user id and stored family are only known here (cluster mode: per-user hash tag).
-- returns { scope granted, user id }, or
--   { -7, retry after ms } the client is over its rate limit: checked FIRST, nothing written,
--     so a refused request neither spends the code nor counts as a replay
--   -1 unknown, expired, or another client's code   -2 replay (its tokens revoked)
--   -3 redirect_uri differs   -4 PKCE verifier wrong   -5 user deleted or disabled
--   -6 the client was deleted or re-created (nothing issued)   -8 token key exists
--   -9 the code has a challenge but no verifier was sent
--   -10 a verifier was sent for a code issued without a challenge
-- @include trimIndex
-- @include writeToken
-- @include revokeTokens
-- @include rateLimit

local charge = chargeRateLimit(KEYS[8], ARGV[17], ARGV[18])
if charge[1] == 0 then return rateLimited(charge) end

local now = tonumber(ARGV[4])
local prefixes = { family = ARGV[13], access = ARGV[14], refresh = ARGV[15], blacklist = ARGV[16] }
local c = redis.call('HMGET', KEYS[1], 'client_id', 'user_id', 'scope', 'redirect_uri',
  'code_challenge', 'exp', 'used', 'family', 'code_challenge_method')
local owner, userId, scope, redirectUri, challenge, exp, used, family, method =
  c[1], c[2] or '', c[3] or '', c[4], c[5], tonumber(c[6]), c[7], c[8], c[9]
if not owner then return -1 end

if used == '1' then
  if family then revokeFamily(prefixes.family .. family, prefixes, KEYS[6]) end
  redis.call('HINCRBY', KEYS[7], 'code_replayed', 1)
  return -2
end
redis.call('HSET', KEYS[1], 'used', '1')

if owner ~= ARGV[1] or not exp or exp <= now then return -1 end
if redirectUri ~= ARGV[2] then return -3 end
if method == 'none' then
  if ARGV[3] ~= '' then return -10 end
elseif ARGV[3] == '' then return -9
elseif challenge ~= ARGV[3] then return -4 end
local userIndex = nil
if userId ~= '' then
  local user = redis.call('HMGET', ARGV[11] .. userId, 'id', 'disabled')
  if not user[1] or user[2] == '1' then return -5 end
  userIndex = ARGV[12] .. userId
end
if not clientUnchanged(KEYS[5], ARGV[9]) then return -6 end
local withRefresh = tonumber(ARGV[6]) > 0
if redis.call('EXISTS', KEYS[2]) == 1 or (withRefresh and redis.call('EXISTS', KEYS[3]) == 1) then
  return -8
end

-- What the user consented to, narrowed to what the client may still have.
local allowed, granted = {}, {}
for s in string.gmatch(ARGV[10], '%S+') do allowed[s] = true end
for s in string.gmatch(scope, '%S+') do
  if allowed[s] then table.insert(granted, s) end
end
local grantedScope = table.concat(granted, ' ')

local accessTtl, refreshTtl = tonumber(ARGV[5]), tonumber(ARGV[6])
local accessExp = now + accessTtl
writeToken(KEYS[2],
  tokenFields('access_token', ARGV[1], ARGV[9], userId, grantedScope, now, accessExp, ARGV[7], ARGV[8]),
  accessTtl, accessExp, KEYS[6], userIndex)
redis.call('SADD', KEYS[4], KEYS[2])
if withRefresh then
  local refreshExp = now + refreshTtl
  writeToken(KEYS[3],
    tokenFields('refresh_token', ARGV[1], ARGV[9], userId, grantedScope, now, refreshExp, ARGV[7], ARGV[8]),
    refreshTtl, refreshExp, KEYS[6], userIndex)
  redis.call('SADD', KEYS[4], KEYS[3])
end
redis.call('EXPIRE', KEYS[4], math.max(accessTtl, refreshTtl))
redis.call('HSET', KEYS[1], 'family', ARGV[7])

trimIndex(KEYS[6], now * 1000)
if userIndex then trimIndex(userIndex, now * 1000) end
redis.call('HINCRBY', KEYS[7], 'issued:authorization_code', 1)
return { grantedScope, userId }
