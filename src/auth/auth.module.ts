import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ClientsModule } from '../clients/clients.module';
import { ConsentsModule } from '../consents/consents.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AppConfig } from '../config/app-config';
import { MetricsModule } from '../metrics/metrics.module';
import { RateLimitModule } from '../ratelimit/ratelimit.module';
import { TokensModule } from '../tokens/tokens.module';
import { AuthorizationFlow } from './authorize/authorization-flow.service';
import { AuthorizeController } from './authorize/authorize.controller';
import { Interactions } from './authorize/interactions';
import { InteractionStore } from './authorize/interaction.store';
import { RedisInteractionStore } from './authorize/redis-interaction.store';
import { ClientAuthenticator } from './client-authentication';
import { installOAuthFormGuard } from './form-body';
import { grantRegistry } from './grants/registry';
import { IntrospectController } from './introspect.controller';
import { IntrospectionService } from './introspection.service';
import { MetadataController } from './metadata.controller';
import { RevocationService } from './revocation.service';
import { RevokeController } from './revoke.controller';
import { TokenEndpointService } from './token-endpoint.service';
import { GRANT_REGISTRY, TokenExchange } from './token-exchange';
import { TokenController } from './token.controller';

/** The form-encoded OAuth endpoints guarded before body parsing (see installOAuthFormGuard). */
const FORM_ENDPOINTS = ['/oauth2/token', '/oauth2/introspect', '/oauth2/revoke'];

/**
 * The OAuth 2.0 protocol: authorize, token, introspection, revocation and metadata endpoints, ONE
 * client authentication, the grants, the RFC 6749/7009 errors. The only module that
 * imports @node-oauth/oauth2-server (public API only).
 */
@Module({
  imports: [
    ClientsModule,
    TokensModule,
    MetricsModule,
    RateLimitModule,
    SessionsModule,
    ConsentsModule,
  ],
  controllers: [
    TokenController,
    IntrospectController,
    RevokeController,
    MetadataController,
    AuthorizeController,
  ],
  providers: [
    {
      provide: GRANT_REGISTRY,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        grantRegistry({ passwordGrantEnabled: config.oauth.passwordGrantEnabled }),
    },
    ClientAuthenticator,
    TokenExchange,
    TokenEndpointService,
    IntrospectionService,
    RevocationService,
    { provide: InteractionStore, useClass: RedisInteractionStore },
    Interactions,
    AuthorizationFlow,
  ],
  exports: [AuthorizationFlow],
})
export class AuthModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Absent in a standalone application context (e.g. the admin CLI): nothing to guard.
    if (fastify) installOAuthFormGuard(fastify, FORM_ENDPOINTS);
  }
}
