-- chargeRateLimit: one request against one rate limit (GCRA, see includes/rateLimit.lua).
-- Used where the limit is not folded into a token script: introspection (sent in the same
-- tick as the read-only introspectToken, so auto-pipelining puts both in one write), failed
-- client authentications, the route guard and the login limiter.
-- KEYS[1] limit state   auth:rate_limit:{scope}:{key}  (string: TAT in unix microseconds)
-- ARGV[1] limit (requests per window; <= 0 = unlimited, nothing written)
-- ARGV[2] window (milliseconds)
-- returns { allowed (1/0), remaining, reset ms, retry after ms }
-- @include rateLimit

return chargeRateLimit(KEYS[1], ARGV[1], ARGV[2])
