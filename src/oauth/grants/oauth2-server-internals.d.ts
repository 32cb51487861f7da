/**
 * Types for the @node-oauth/oauth2-server 5.3 grant classes we subclass. The package only
 * types AbstractGrantType; these mirror lib/grant-types/*.js for the members we call or
 * override (read those files before changing anything here).
 */
declare module '@node-oauth/oauth2-server/lib/grant-types/authorization-code-grant-type' {
  import OAuth2Server from '@node-oauth/oauth2-server';

  class AuthorizationCodeGrantType extends OAuth2Server.AbstractGrantType {
    constructor(options: OAuth2Server.TokenOptions & { model: object; enablePlainPKCE?: boolean });
    handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token>;
    verifyPKCE(request: OAuth2Server.Request, code: OAuth2Server.AuthorizationCode): void;
    validateRedirectUri(request: OAuth2Server.Request, code: OAuth2Server.AuthorizationCode): void;
    saveToken(
      user: OAuth2Server.User,
      client: OAuth2Server.Client,
      authorizationCode: string,
      requestedScope: string[] | undefined,
    ): Promise<OAuth2Server.Token>;
  }
  export = AuthorizationCodeGrantType;
}

declare module '@node-oauth/oauth2-server/lib/grant-types/client-credentials-grant-type' {
  import OAuth2Server from '@node-oauth/oauth2-server';

  class ClientCredentialsGrantType extends OAuth2Server.AbstractGrantType {
    constructor(options: OAuth2Server.TokenOptions & { model: object; enablePlainPKCE?: boolean });
    handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token>;
    saveToken(
      user: OAuth2Server.User,
      client: OAuth2Server.Client,
      requestedScope: string[] | undefined,
    ): Promise<OAuth2Server.Token>;
  }
  export = ClientCredentialsGrantType;
}
