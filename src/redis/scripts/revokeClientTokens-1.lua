-- revokeClientTokens: revokes every token issued to one client, in one atomic step (client
-- deletion, the admin API's "revoke all"): every token in the client's index is blacklisted
-- for its remaining life and deleted, every rotation family it belongs to is deleted, and so
-- is the index. Tokens that expired on their own are already gone from Redis and the index.
-- Cost is linear in the client's live tokens (one script blocks Redis meanwhile: a client with
-- 100,000 live tokens takes on the order of 100 ms).
-- KEYS[1] client token index   auth:client_tokens:{client_id} (zset: token key -> expiry ms)
-- ARGV[1..4] key prefixes from keys.ts: token family, access token, refresh token, blacklist.
-- returns the number of token records revoked (rotated refresh tokens kept for reuse
--   detection included)
-- @include revokeTokens

local prefixes = { family = ARGV[1], access = ARGV[2], refresh = ARGV[3], blacklist = ARGV[4] }
return revokeIndexedTokens(KEYS[1], prefixes, false)
