-- revokeToken: RFC 7009 revocation of an access or refresh token, in one atomic step.
-- The caller orders KEYS[1]/KEYS[2] by the token_type_hint; both are always searched
-- (RFC 7009 section 2.1: a hint that does not match must not make the lookup fail).
-- Revoking a refresh token revokes its whole rotation family, access tokens included
-- (RFC 7009 section 2.1, RFC 9700 section 4.14.2). Every revoked token's digest is
-- blacklisted for its remaining life.
-- KEYS[1] first token hash to look at    auth:access_token:{digest} or auth:refresh_token:{digest}
-- KEYS[2] the other kind, same digest
-- KEYS[3] blacklist entry                auth:blacklist:{digest}
-- KEYS[4] the caller's token index      auth:client_tokens:{client_id}
-- KEYS[5] counters                       auth_stats (field `revoked`)
-- KEYS[6] the caller's rate limit       auth:rate_limit:client:{client_id} (unused when ARGV[6] <= 0)
-- ARGV[1] client_id of the authenticated caller
-- ARGV[2..5] key prefixes from keys.ts: token family, access token, refresh token, blacklist.
--   Family keys and their members are only known here; cluster mode needs a per-family hash tag.
-- ARGV[6] rate limit (requests per window; <= 0 = none)   ARGV[7] its window (ms)
-- returns { kind found ('' = none), 1 if it belongs to another client (nothing revoked) else 0 },
--   or { -7, retry after ms } when the caller is over its rate limit (checked first)
-- @include revokeTokens
-- @include rateLimit

local charge = chargeRateLimit(KEYS[6], ARGV[6], ARGV[7])
if charge[1] == 0 then return rateLimited(charge) end

local clientId = ARGV[1]
local prefixes = { family = ARGV[2], access = ARGV[3], refresh = ARGV[4], blacklist = ARGV[5] }

local tokenKey, kind, owner, family
for i = 1, 2 do
  local t = redis.call('HMGET', KEYS[i], 'kind', 'client_id', 'family')
  if t[1] then
    tokenKey, kind, owner, family = KEYS[i], t[1], t[2], t[3]
    break
  end
end
if not tokenKey then return { '', 0 } end
-- RFC 7009 section 2.1: a client may only revoke its own tokens.
if owner ~= clientId then return { kind, 1 } end

if kind == 'refresh_token' and family then
  revokeFamily(prefixes.family .. family, prefixes, KEYS[4])
elseif family then
  redis.call('SREM', prefixes.family .. family, tokenKey)
end
-- A rotated refresh token is no longer a family member: revoke it by name as well.
revokeTokenKey(tokenKey, KEYS[3], KEYS[4])
redis.call('HINCRBY', KEYS[5], 'revoked', 1)
return { kind, 0 }
