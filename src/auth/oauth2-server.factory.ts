import type { Provider } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import { AppConfig } from '../config/app-config';
import type { GrantType } from '../oauth/grants/grant-model';
import { extendedGrantTypes, GrantHandlerClass, grantRegistry } from '../oauth/grants/registry';
import { OAuth2Model } from './oauth2-model';

/** Injection tokens for the configured OAuth2Server and its grant registry. */
export const OAUTH2_SERVER = Symbol('OAUTH2_SERVER');
export const GRANT_REGISTRY = Symbol('GRANT_REGISTRY');

export type GrantRegistry = ReadonlyMap<GrantType, GrantHandlerClass>;

export function createOAuth2Server(
  model: OAuth2Model,
  config: AppConfig,
  registry: GrantRegistry,
): OAuth2Server {
  return new OAuth2Server({
    // The library's model type is a union of per-grant interfaces that all demand
    // getAccessToken (bearer authentication), which tollgate does through TokensService.
    model: model as unknown as OAuth2Server.ServerOptions['model'],
    accessTokenLifetime: config.oauth.accessTokenTtlSeconds,
    refreshTokenLifetime: config.oauth.refreshTokenTtlSeconds,
    extendedGrantTypes: extendedGrantTypes(registry),
    // Public clients (RFC 6749 section 2.1) redeem codes with PKCE and refresh without a
    // secret; the model still rejects a confidential client that omits its secret.
    requireClientAuthentication: { authorization_code: false, refresh_token: false },
    alwaysIssueNewRefreshToken: true,
    allowExtendedTokenAttributes: false,
  });
}

export const oauth2ServerProviders: Provider[] = [
  {
    provide: GRANT_REGISTRY,
    inject: [AppConfig],
    useFactory: (config: AppConfig): GrantRegistry =>
      grantRegistry({ passwordGrantEnabled: config.oauth.passwordGrantEnabled }),
  },
  {
    provide: OAUTH2_SERVER,
    inject: [OAuth2Model, AppConfig, GRANT_REGISTRY],
    useFactory: createOAuth2Server,
  },
];
