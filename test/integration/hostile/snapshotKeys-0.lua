-- snapshotKeys: every key of the selected database with its type, PTTL and content in a
-- canonical order (hash fields and set members sorted), in one round trip, for the
-- hostile-input suite's before/after comparison (redis-snapshot.ts). A test helper: it SCANs
-- the whole database, which only a small test data set affords.
-- Content is read by type, not DUMPed: Redis may reorder a set's or hash's internal table
-- without any change of content (an SREM of a non-member rehashed a set and changed its DUMP).
-- KEYS: none
-- ARGV[1]: key whose content is returned in full (its fields are filtered by the caller);
--   every other key's content is returned as its SHA-1, so the reply stays small
-- ARGV[2..n]: key prefixes to leave out
-- returns a flat array: key, type, pttl, content or its SHA-1, for each key
local out = {}
local cursor = '0'

local function skipped(key)
  for i = 2, #ARGV do
    local prefix = ARGV[i]
    if string.sub(key, 1, #prefix) == prefix then return true end
  end
  return false
end

local function sortedPairs(flat)
  local pairs = {}
  for i = 1, #flat, 2 do pairs[#pairs + 1] = { flat[i], flat[i + 1] } end
  table.sort(pairs, function(a, b) return a[1] < b[1] end)
  local sorted = {}
  for _, pair in ipairs(pairs) do
    sorted[#sorted + 1] = pair[1]
    sorted[#sorted + 1] = pair[2]
  end
  return sorted
end

local function content(key, kind)
  if kind == 'string' then return redis.call('GET', key) end
  if kind == 'hash' then return cjson.encode(sortedPairs(redis.call('HGETALL', key))) end
  if kind == 'set' then
    local members = redis.call('SMEMBERS', key)
    table.sort(members)
    return cjson.encode(members)
  end
  if kind == 'zset' then return cjson.encode(redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')) end
  if kind == 'list' then return cjson.encode(redis.call('LRANGE', key, 0, -1)) end
  return redis.call('DUMP', key)
end

repeat
  local reply = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = reply[1]
  for _, key in ipairs(reply[2]) do
    if not skipped(key) then
      local kind = redis.call('TYPE', key)['ok']
      if kind ~= 'none' then
        out[#out + 1] = key
        out[#out + 1] = kind
        out[#out + 1] = tostring(redis.call('PTTL', key))
        local value = content(key, kind)
        out[#out + 1] = key == ARGV[1] and value or redis.sha1hex(value)
      end
    end
  end
until cursor == '0'
return out
