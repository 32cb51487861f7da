-- Shared by issueTokens and rotateRefreshToken (expanded by script-loader.ts).

-- True while the client record is the one the caller authenticated: same generation
-- (`created_at` for records written before generations existed, as redis-client.store.ts
-- reads them). A deleted or re-created client gets no token.
local function clientUnchanged(clientKey, generation)
  local stored = redis.call('HMGET', clientKey, 'generation', 'created_at')
  local current = stored[1] or stored[2]
  return generation ~= '' and current == generation
end

-- Writes one token record with its TTL and its entry in the client's token index and, for a
-- token issued for a user, the user's token index (member = token key, score = expiry in
-- unix ms). `fields` is a flat field/value list; `userIndexKey` is nil without a user.
local function writeToken(tokenKey, fields, ttlSeconds, expSeconds, indexKey, userIndexKey)
  redis.call('HSET', tokenKey, unpack(fields))
  redis.call('EXPIRE', tokenKey, ttlSeconds)
  redis.call('ZADD', indexKey, expSeconds * 1000, tokenKey)
  if userIndexKey then redis.call('ZADD', userIndexKey, expSeconds * 1000, tokenKey) end
end

-- The flat field list of a token record; user_id, family and family_exp only when present.
-- client_generation ties the token to one incarnation of its client.
local function tokenFields(kind, clientId, generation, userId, scope, iat, exp, family, familyExp)
  local fields = { 'kind', kind, 'client_id', clientId, 'client_generation', generation,
    'scope', scope, 'iat', iat, 'exp', exp }
  if userId ~= '' then
    table.insert(fields, 'user_id')
    table.insert(fields, userId)
  end
  if family ~= '' then
    table.insert(fields, 'family')
    table.insert(fields, family)
    table.insert(fields, 'family_exp')
    table.insert(fields, familyExp)
  end
  if kind == 'refresh_token' then
    table.insert(fields, 'rotated')
    table.insert(fields, '0')
  end
  return fields
end
