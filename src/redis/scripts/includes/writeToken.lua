-- Shared by issueTokens and rotateRefreshToken (expanded by script-loader.ts).

-- Writes one token record with its TTL and its entry in the cleanup index
-- (member = token key, score = expiry in unix ms). `fields` is a flat field/value list.
local function writeToken(tokenKey, fields, ttlSeconds, expSeconds, cleanupKey)
  redis.call('HSET', tokenKey, unpack(fields))
  redis.call('EXPIRE', tokenKey, ttlSeconds)
  redis.call('ZADD', cleanupKey, expSeconds * 1000, tokenKey)
end

-- The flat field list of a token record; user_id and family only when present.
local function tokenFields(kind, clientId, userId, scope, iat, exp, family)
  local fields = { 'kind', kind, 'client_id', clientId, 'scope', scope, 'iat', iat, 'exp', exp }
  if userId ~= '' then
    table.insert(fields, 'user_id')
    table.insert(fields, userId)
  end
  if family ~= '' then
    table.insert(fields, 'family')
    table.insert(fields, family)
  end
  if kind == 'refresh_token' then
    table.insert(fields, 'rotated')
    table.insert(fields, '0')
  end
  return fields
end
