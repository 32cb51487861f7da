-- issueTokens: stores a new access token and, optionally, a refresh token that starts a
-- rotation family, in one atomic step, if the client is still the one the caller saw.
-- Tokens are addressed by their SHA-256 digest.
-- KEYS[1] access token hash      auth:access_token:{digest}
-- KEYS[2] refresh token hash     auth:refresh_token:{digest}  (unused when ARGV[7] = 0)
-- KEYS[3] token family set       auth:token_family:{id}       (unused when ARGV[7] = 0)
-- KEYS[4] client record          auth:client:{client_id}      (field `generation`)
-- KEYS[5] client token index     auth:client_tokens:{client_id} (zset: token key -> expiry ms)
-- KEYS[6] counters               auth_stats
-- KEYS[7] user token index       auth:user_tokens:{user_id} (zset; unused when ARGV[2] = '')
-- KEYS[8] the client's rate limit auth:rate_limit:client:{client_id} (unused when ARGV[11] <= 0)
-- ARGV[1] client_id   ARGV[2] user_id ('' = none)   ARGV[3] scope (space separated)
-- ARGV[4] grant_type (counted as issued:<grant_type>)
-- ARGV[5] now (unix seconds, becomes iat)
-- ARGV[6] access TTL seconds   ARGV[7] refresh TTL seconds (0 = no refresh token)
-- ARGV[8] family id (used with a refresh token)
-- ARGV[9] family_exp (unix seconds): the family's absolute end, stored on its tokens
-- ARGV[10] the client's generation as the caller authenticated it
-- ARGV[11] rate limit (requests per window; <= 0 = none)   ARGV[12] its window (ms)
-- returns 1, or (nothing written)
--   { -7, retry after ms } the client is over its rate limit (checked first)
--   -1 a token key already exists (256 random bits: never expected)
--   -2 the client was deleted or re-created (generation differs)
-- @include trimIndex
-- @include writeToken
-- @include rateLimit

local now = tonumber(ARGV[5])
local accessTtl = tonumber(ARGV[6])
local refreshTtl = tonumber(ARGV[7])
local withRefresh = refreshTtl > 0
local family = withRefresh and ARGV[8] or ''
local userIndex = ARGV[2] ~= '' and KEYS[7] or nil

local charge = chargeRateLimit(KEYS[8], ARGV[11], ARGV[12])
if charge[1] == 0 then return rateLimited(charge) end
if not clientUnchanged(KEYS[4], ARGV[10]) then return -2 end
if redis.call('EXISTS', KEYS[1]) == 1 or (withRefresh and redis.call('EXISTS', KEYS[2]) == 1) then
  return -1
end

local accessExp = now + accessTtl
writeToken(KEYS[1],
  tokenFields('access_token', ARGV[1], ARGV[10], ARGV[2], ARGV[3], now, accessExp, family, ARGV[9]),
  accessTtl, accessExp, KEYS[5], userIndex)

if withRefresh then
  local refreshExp = now + refreshTtl
  writeToken(KEYS[2],
    tokenFields('refresh_token', ARGV[1], ARGV[10], ARGV[2], ARGV[3], now, refreshExp, family, ARGV[9]),
    refreshTtl, refreshExp, KEYS[5], userIndex)
  -- The family lives as long as its longest-lived member.
  redis.call('SADD', KEYS[3], KEYS[1], KEYS[2])
  redis.call('EXPIRE', KEYS[3], math.max(accessTtl, refreshTtl))
end

trimIndex(KEYS[5], now * 1000)
if userIndex then trimIndex(userIndex, now * 1000) end
redis.call('HINCRBY', KEYS[6], 'issued:' .. ARGV[4], 1)
return 1
