import { SetMetadata } from '@nestjs/common';

export const REQUIRED_SCOPES = 'tollgate:required-scopes';

/**
 * Scopes an access token must carry, all of them, for a route guarded by BearerTokenGuard
 * (RFC 6750 section 3.1 `insufficient_scope` otherwise). On a class or a handler; the
 * handler's list wins.
 */
export const RequireScopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, scopes);
