import { Injectable } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import { ClientsService } from '../clients/clients.service';
import type { GrantType, OAuthClient } from '../clients/client.types';
import type {
  IssueTokensRequest,
  RotateRefreshTokenRequest,
  TollgateModel,
} from '../oauth/grants/grant-model';
import {
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
} from '../tokens/token.errors';
import { TokensService } from '../tokens/tokens.service';
import type { IssuedTokens } from '../tokens/token.types';

/** The library's client shape plus what our model needs back (scopes, type). */
export interface LibraryClient extends OAuth2Server.Client {
  readonly id: string;
  readonly grants: GrantType[];
  readonly redirectUris: string[];
  readonly scopes: readonly string[];
  readonly type: OAuthClient['type'];
  readonly generation: string;
}

/** The resource owner as the library carries it; no user store yet, so only an id. */
export interface LibraryUser extends OAuth2Server.User {
  readonly id?: string;
}

/**
 * The @node-oauth/oauth2-server model over ClientsService and TokensService. Token values
 * are generated inside TokensService (one Lua call stores their digests), so the library's
 * own generateAccessToken/saveToken path is not used: tollgate's grants call issueTokens.
 */
@Injectable()
export class OAuth2Model implements TollgateModel {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
  ) {}

  /**
   * ClientsService.authenticate rejects a confidential client without its valid secret
   * even where the library does not require a secret (authorization_code and refresh_token
   * for public clients, RFC 6749 section 2.1).
   */
  async getClient(
    clientId: string,
    clientSecret: string | undefined,
  ): Promise<LibraryClient | null> {
    const client = await this.clients.authenticate(clientId, clientSecret || undefined);
    return client && toLibraryClient(client);
  }

  async getUserFromClient(): Promise<LibraryUser> {
    return {};
  }

  /** RFC 6749 section 3.3: the server may grant the client's default scope (all of it). */
  async validateScope(
    _user: LibraryUser,
    client: OAuth2Server.Client,
    scope?: string[],
  ): Promise<string[] | false> {
    const allowed = new Set<string>((client as LibraryClient).scopes);
    if (!scope || scope.length === 0) return [...allowed];
    const unique = [...new Set(scope)];
    return unique.every((s) => allowed.has(s)) ? unique : false;
  }

  /** Consume on read: a code is burnt by its first redemption attempt, successful or not. */
  async getAuthorizationCode(code: string): Promise<OAuth2Server.AuthorizationCode | null> {
    const data = await this.tokens.consumeAuthorizationCode(code);
    if (!data) return null;
    return {
      authorizationCode: code,
      expiresAt: new Date(data.expiresAt * 1000),
      redirectUri: data.redirectUri,
      scope: [...data.scope],
      client: { id: data.clientId, grants: [] },
      user: { id: data.userId } satisfies LibraryUser,
      codeChallenge: data.codeChallenge,
      codeChallengeMethod: data.codeChallengeMethod,
    };
  }

  /** Already deleted by getAuthorizationCode's atomic get-and-delete. */
  async revokeAuthorizationCode(): Promise<boolean> {
    return true;
  }

  /** Never called: every registered grant issues through issueTokens. */
  async saveToken(): Promise<never> {
    throw new Error('OAuth2Model.saveToken is not used; grants call issueTokens');
  }

  async issueTokens(request: IssueTokensRequest): Promise<OAuth2Server.Token> {
    const user = request.user as LibraryUser;
    const issued = await this.tokens.issue(
      { clientId: request.client.id, userId: user.id, scope: request.scope },
      {
        grantType: request.grantType,
        withRefreshToken: request.withRefreshToken,
        accessTtlSeconds: request.accessTtlSeconds,
        refreshTtlSeconds: request.refreshTtlSeconds,
        clientGeneration: (request.client as LibraryClient).generation,
      },
    );
    return toLibraryToken(issued, request.client, user);
  }

  async rotateRefreshToken(request: RotateRefreshTokenRequest): Promise<OAuth2Server.Token> {
    try {
      const client = request.client as LibraryClient;
      const issued = await this.tokens.rotateRefreshToken(request.refreshToken, client, {
        accessTtlSeconds: request.accessTtlSeconds,
        refreshTtlSeconds: request.refreshTtlSeconds,
        scope: request.scope,
      });
      return toLibraryToken(issued, request.client, {});
    } catch (err) {
      throw refreshErrorToLibrary(err);
    }
  }
}

/** RFC 6749 section 5.2 codes for the token service's refresh failures; others pass through. */
function refreshErrorToLibrary(err: unknown): unknown {
  if (err instanceof RefreshTokenReusedError) {
    // RFC 9700 section 4.14.2: the family is revoked; the client must start over.
    return new OAuth2Server.InvalidGrantError(
      'Invalid grant: refresh token was already used; the grant has been revoked',
    );
  }
  if (err instanceof InvalidRefreshTokenError) {
    return new OAuth2Server.InvalidGrantError('Invalid grant: refresh token is invalid');
  }
  if (err instanceof ScopeExceedsGrantError) {
    return new OAuth2Server.InvalidScopeError(
      'Invalid scope: requested scope exceeds the original grant',
    );
  }
  return err;
}

export function toLibraryClient(client: OAuthClient): LibraryClient {
  return {
    id: client.id,
    grants: [...client.grantTypes],
    redirectUris: [...client.redirectUris],
    // The library falls back to the server defaults when these are undefined.
    accessTokenLifetime: client.accessTokenTtlSeconds,
    refreshTokenLifetime: client.refreshTokenTtlSeconds,
    scopes: client.scopes,
    type: client.type,
    generation: client.generation,
  };
}

function toLibraryToken(
  issued: IssuedTokens,
  client: OAuth2Server.Client,
  user: LibraryUser,
): OAuth2Server.Token {
  return {
    accessToken: issued.accessToken,
    accessTokenExpiresAt: issued.accessTokenExpiresAt,
    refreshToken: issued.refreshToken,
    refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
    scope: [...issued.scope],
    client,
    user,
  };
}
