-- Shared helpers for revokeToken, rotateRefreshToken, revokeClientTokens and revokeUserTokens
-- (expanded by script-loader.ts). Token keys are `<access prefix><digest>` or `<refresh prefix><digest>`;
-- the prefixes come from keys.ts through ARGV, so key names are still built in one place.

-- The digest at the end of a token key, or nil for a key of neither prefix.
local function digestOfTokenKey(tokenKey, accessPrefix, refreshPrefix)
  for _, prefix in ipairs({ accessPrefix, refreshPrefix }) do
    if string.sub(tokenKey, 1, #prefix) == prefix then
      return string.sub(tokenKey, #prefix + 1)
    end
  end
  return nil
end

-- Revokes one token: blacklists its digest for the token's remaining life (so a copy cached by
-- a resource server can be checked), deletes the record and its client-index entry.
-- Returns 1 if the token existed, 0 otherwise.
local function revokeTokenKey(tokenKey, blacklistKey, indexKey)
  local pttl = redis.call('PTTL', tokenKey)
  if pttl == -2 then return 0 end
  if pttl > 0 then
    redis.call('SET', blacklistKey, redis.call('HGET', tokenKey, 'kind') or '1', 'PX', pttl)
  end
  redis.call('DEL', tokenKey)
  redis.call('ZREM', indexKey, tokenKey)
  return 1
end

-- Revokes every live member of a rotation family (RFC 9700 section 4.14.2) and deletes the
-- family set. All members belong to the client of `indexKey`. Returns the number revoked.
local function revokeFamily(familyKey, prefixes, indexKey)
  local revoked = 0
  for _, member in ipairs(redis.call('SMEMBERS', familyKey)) do
    local digest = digestOfTokenKey(member, prefixes.access, prefixes.refresh)
    if digest then
      revoked = revoked + revokeTokenKey(member, prefixes.blacklist .. digest, indexKey)
    end
  end
  redis.call('DEL', familyKey)
  return revoked
end

-- Revokes every token listed in a token index (a client's or a user's) and the rotation
-- families they belong to, then deletes the index. `wholeFamilies`: revoke every member of
-- each family (a user index may lack members written before it existed); otherwise the
-- family sets are only deleted (a client's index lists every member of its families).
-- Returns the number of token records revoked.
local function revokeIndexedTokens(indexKey, prefixes, wholeFamilies)
  local revoked, families = 0, {}
  for _, tokenKey in ipairs(redis.call('ZRANGE', indexKey, 0, -1)) do
    local digest = digestOfTokenKey(tokenKey, prefixes.access, prefixes.refresh)
    if digest then
      local family = redis.call('HGET', tokenKey, 'family')
      if family then families[family] = true end
      revoked = revoked + revokeTokenKey(tokenKey, prefixes.blacklist .. digest, indexKey)
    end
  end
  for family in pairs(families) do
    if wholeFamilies then
      revoked = revoked + revokeFamily(prefixes.family .. family, prefixes, indexKey)
    else
      redis.call('DEL', prefixes.family .. family)
    end
  end
  redis.call('DEL', indexKey)
  return revoked
end
