-- revokeUserTokens: revokes every token issued for one user, in one atomic step (a user
-- disabled or deleted by an admin): every token in the user's index is blacklisted for its
-- remaining life and deleted, every rotation family it belongs to is revoked whole (members
-- written before the user index existed included), and the index is deleted. The entries the
-- revoked tokens leave in their clients' indexes point at deleted keys: harmless, and trimmed
-- as they expire.
-- Cost is linear in the user's live tokens (one script blocks Redis meanwhile).
-- KEYS[1] user token index   auth:user_tokens:{user_id} (zset: token key -> expiry ms)
-- ARGV[1..4] key prefixes from keys.ts: token family, access token, refresh token, blacklist.
--   Family keys and their members are only known here; cluster mode needs a per-user hash tag.
-- returns the number of token records revoked (rotated refresh tokens kept for reuse
--   detection included)
-- @include revokeTokens

local prefixes = { family = ARGV[1], access = ARGV[2], refresh = ARGV[3], blacklist = ARGV[4] }
return revokeIndexedTokens(KEYS[1], prefixes, true)
