/**
 * Errors TokensService throws for refresh-token redemption (the auth module maps them to
 * RFC 6749 section 5.2 `invalid_grant` / `invalid_scope`). They are defined next to the Lua
 * return codes that produce them (redis/script-errors.ts, so redis depends on no feature);
 * import them from here.
 */
export {
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
} from '../redis/script-errors';
