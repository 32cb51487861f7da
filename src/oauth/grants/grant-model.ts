/**
 * What tollgate's grant handlers need from the model, beyond the @node-oauth/oauth2-server
 * callbacks. Implemented in src/auth/oauth2-model.ts over ClientsService and TokensService;
 * declared here so src/oauth depends on no feature module.
 */
import OAuth2Server from '@node-oauth/oauth2-server';

export type GrantType = 'authorization_code' | 'client_credentials' | 'refresh_token' | 'password';

/** The options the library's TokenHandler passes to every grant constructor (5.3). */
export interface GrantOptions {
  readonly model: TollgateModel;
  /** Already resolved per client: client.accessTokenLifetime || the server default. */
  readonly accessTokenLifetime: number;
  readonly refreshTokenLifetime: number;
  readonly alwaysIssueNewRefreshToken?: boolean;
  readonly enablePlainPKCE?: boolean;
}

export interface IssueTokensRequest {
  readonly grantType: GrantType;
  readonly client: OAuth2Server.Client;
  readonly user: OAuth2Server.User;
  readonly scope: readonly string[];
  readonly withRefreshToken: boolean;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
}

export interface RotateRefreshTokenRequest {
  readonly refreshToken: string;
  readonly client: OAuth2Server.Client;
  /** Requested narrower scope (RFC 6749 section 6); undefined keeps the original. */
  readonly scope: readonly string[] | undefined;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
}

export interface TollgateModel {
  /** Authenticates the client; falsy for unknown clients or bad credentials. */
  getClient(
    clientId: string,
    clientSecret: string | undefined,
  ): Promise<OAuth2Server.Client | null>;
  /** client_credentials: the "user" is the client itself (RFC 6749 section 4.4). */
  getUserFromClient(client: OAuth2Server.Client): Promise<OAuth2Server.User>;
  /** Requested scope must be a subset of the client's; none requested = all of the client's. */
  validateScope(
    user: OAuth2Server.User,
    client: OAuth2Server.Client,
    scope?: string[],
  ): Promise<string[] | false>;
  /** Reading the code consumes it (single use, RFC 6749 section 4.1.2). */
  getAuthorizationCode(code: string): Promise<OAuth2Server.AuthorizationCode | null>;
  revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode): Promise<boolean>;
  /** Required by the library's grant constructors; tollgate's grants call issueTokens. */
  saveToken(
    token: OAuth2Server.Token,
    client: OAuth2Server.Client,
    user: OAuth2Server.User,
  ): Promise<never>;
  /** Generates and stores the token values in one atomic write; returns them in clear once. */
  issueTokens(request: IssueTokensRequest): Promise<OAuth2Server.Token>;
  /** One atomic rotation with reuse detection; throws library OAuthErrors for bad tokens. */
  rotateRefreshToken(request: RotateRefreshTokenRequest): Promise<OAuth2Server.Token>;
}
