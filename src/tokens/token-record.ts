import type { AuthorizationCodeData, TokenInfo, TokenKind } from './token.types';

/**
 * Conversions between domain objects and the Redis hash fields of token and code records
 * (field names are listed in scripts/issueTokens-8.lua and here).
 */

/** Flat [field, value, ...] reply -> record. */
export function toFields(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
  return fields;
}

export function splitScope(scope: string | undefined): string[] {
  return scope ? scope.split(' ').filter((s) => s.length > 0) : [];
}

/** A stored token hash -> TokenInfo. */
export function toTokenInfo(f: Record<string, string>): TokenInfo {
  return {
    kind: f.kind as TokenKind,
    clientId: f.client_id,
    ...(f.user_id ? { userId: f.user_id } : {}),
    scope: splitScope(f.scope),
    issuedAt: Number(f.iat),
    expiresAt: Number(f.exp),
    ...(f.family ? { familyId: f.family } : {}),
  };
}

/** A code record -> flat field/value list for saveCode-1.lua. */
export function codeFields(data: AuthorizationCodeData): string[] {
  const fields: Record<string, string> = {
    client_id: data.clientId,
    scope: data.scope.join(' '),
    redirect_uri: data.redirectUri,
    // Recorded either way: redeemCode-8.lua accepts no verifier only for a code stored
    // explicitly without a challenge (method `none`), never for a record missing the field.
    ...(data.codeChallenge !== undefined
      ? { code_challenge: data.codeChallenge, code_challenge_method: 'S256' }
      : { code_challenge_method: 'none' }),
    exp: String(data.expiresAt),
  };
  if (data.userId !== undefined) fields.user_id = data.userId;
  if (data.authTime !== undefined) fields.auth_time = String(data.authTime);
  return Object.entries(fields).flat();
}
