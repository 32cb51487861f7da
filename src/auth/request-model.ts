import OAuth2Server from '@node-oauth/oauth2-server';
import type { TokensService } from '../tokens/tokens.service';
import type { GrantClient } from './grants/grant-client';

/**
 * The @node-oauth/oauth2-server model for ONE token request. Client authentication has
 * already happened, so getClient answers the authenticated client. Token values are
 * generated and stored by TokensService inside our grants (one Lua call), so the library's
 * own saveToken path is never taken.
 */
export class RequestModel implements OAuth2Server.ExtensionModel {
  constructor(
    private readonly client: GrantClient,
    private readonly tokens: TokensService,
  ) {}

  async getClient(clientId: string): Promise<GrantClient | null> {
    return clientId === this.client.id ? this.client : null;
  }

  /** Never called: every registered grant issues through TokensService. */
  async saveToken(): Promise<never> {
    throw new OAuth2Server.ServerError('saveToken is not used: grants issue through TokensService');
  }

  /** RFC 6750 bearer lookup for the library's authenticate(); tollgate uses BearerTokenGuard. */
  async getAccessToken(accessToken: string): Promise<OAuth2Server.Token | null> {
    const info = await this.tokens.introspect(accessToken, 'access_token');
    if (!info || info.kind !== 'access_token') return null;
    return {
      accessToken,
      accessTokenExpiresAt: new Date(info.expiresAt * 1000),
      scope: [...info.scope],
      client: { id: info.clientId, grants: [] },
      user: info.userId === undefined ? {} : { id: info.userId },
    };
  }
}
