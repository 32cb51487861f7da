#!lua flags=no-writes
-- introspectToken: the hot path of RFC 7662 introspection and bearer-token checks, one round
-- trip, READ-ONLY (the no-writes flag makes Redis refuse any write; it needs Redis >= 7, and
-- lets the script run on a replica): finds the live record of a token.
-- Inactive: unknown, expired, blacklisted (revoked), or a refresh token already rotated.
-- KEYS[1] first token hash to look at (by hint)   KEYS[2] the other kind, same digest
-- KEYS[3] blacklist entry   auth:blacklist:{digest}
-- ARGV[1] now (unix seconds)
-- returns the record as a flat field/value list (fields of issueTokens), or false when inactive

if redis.call('EXISTS', KEYS[3]) == 1 then return false end
for i = 1, 2 do
  local record = redis.call('HGETALL', KEYS[i])
  if #record > 0 then
    local fields = {}
    for j = 1, #record, 2 do fields[record[j]] = record[j + 1] end
    if tonumber(fields.exp) <= tonumber(ARGV[1]) or fields.rotated == '1' then
      return false
    end
    return record
  end
end
return false
