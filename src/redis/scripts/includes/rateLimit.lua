-- Shared by chargeRateLimit and the token scripts that fold the per-client limit into their
-- own call (issueTokens, rotateRefreshToken, revokeToken), so a limited request costs no
-- extra round trip. Expanded by script-loader.ts.
--
-- GCRA (generic cell rate algorithm): one string key per limited subject holding its
-- theoretical arrival time (TAT, unix microseconds). `limit` requests per `windowMs`:
-- emission interval I = window / limit, burst tolerance = window - I, so a fresh subject gets
-- exactly `limit` requests at once and then one per I; the key expires when the subject is
-- back to a full quota (TTL <= window). Time is Redis's own clock (TIME), so app instances
-- with skewed clocks share one timeline; scripts replicate by effects (Redis >= 5 default,
-- the only mode in 7), so TIME is allowed before writes.
-- Refused requests write nothing: hammering while limited does not push the TAT further.

local RATE_LIMITED = -7

-- Charges one request to `key`; `limit` <= 0 means "no limit" (the key is not touched).
-- Returns { allowed (1/0), remaining, reset ms (until the full quota is back),
--           retry after ms (0 when allowed) }.
local function chargeRateLimit(key, limit, windowMs)
  limit, windowMs = tonumber(limit), tonumber(windowMs)
  if limit <= 0 then return { 1, 0, 0, 0 } end
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
  local window = windowMs * 1000
  local interval = math.max(math.floor(window / limit), 1)
  local tolerance = window - interval
  local tat = math.max(tonumber(redis.call('GET', key)) or now, now)
  if tat - now > tolerance then
    local retryUs = tat - now - tolerance
    return { 0, 0, math.ceil((tat - now) / 1000), math.ceil(retryUs / 1000) }
  end
  local newTat = tat + interval
  redis.call('SET', key, string.format('%d', newTat), 'PX', math.ceil((newTat - now) / 1000))
  local remaining = math.floor((tolerance - (newTat - now - interval)) / interval)
  return { 1, math.min(math.max(remaining, 0), limit - 1), math.ceil((newTat - now) / 1000), 0 }
end

-- The reply of a token script whose request was refused: { -7, retry after ms }. Token
-- scripts answer 1, { scope, ttl } or { kind, n } otherwise, so an array starting with the
-- integer -7 is never anything else (src/redis/rate-limit.ts reads it).
local function rateLimited(charge)
  return { RATE_LIMITED, charge[4] }
end
