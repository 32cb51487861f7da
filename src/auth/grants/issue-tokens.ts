import type OAuth2Server from '@node-oauth/oauth2-server';
import type { GrantType } from '../../clients/client.types';
import type { IssuedTokens } from '../../tokens/token.types';
import type { GrantClient } from './grant-client';

export interface IssueRequest {
  readonly grantType: GrantType;
  readonly scope: readonly string[];
  readonly userId?: string;
  readonly withRefreshToken: boolean;
}

/** Issues tokens for the grant's client through TokensService: one Lua call. */
export async function issueTokens(
  grant: GrantClient,
  request: IssueRequest,
): Promise<OAuth2Server.Token> {
  const issued = await grant.services.tokens.issue(
    { clientId: grant.client.id, userId: request.userId, scope: request.scope },
    {
      grantType: request.grantType,
      withRefreshToken: request.withRefreshToken,
      accessTtlSeconds: grant.accessTokenLifetime,
      refreshTtlSeconds: grant.refreshTokenLifetime,
      clientGeneration: grant.client.generation,
      rateLimit: grant.rateLimit,
    },
  );
  return toLibraryToken(issued, grant, request.userId);
}

/** The library's Token for what TokensService issued. */
export function toLibraryToken(
  issued: IssuedTokens,
  grant: GrantClient,
  userId: string | undefined,
): OAuth2Server.Token {
  return {
    accessToken: issued.accessToken,
    accessTokenExpiresAt: issued.accessTokenExpiresAt,
    refreshToken: issued.refreshToken,
    refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
    scope: [...issued.scope],
    client: grant,
    user: userId === undefined ? {} : { id: userId },
  };
}
