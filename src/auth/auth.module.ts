import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ClientsModule } from '../clients/clients.module';
import { MetricsModule } from '../metrics/metrics.module';
import { TokensModule } from '../tokens/tokens.module';
import { ClientAuthenticator } from './client-authenticator';
import { installOAuthFormGuard } from './form-body';
import { IntrospectController } from './introspect.controller';
import { IntrospectionService } from './introspection.service';
import { MetadataController } from './metadata.controller';
import { OAuth2Model } from './oauth2-model';
import { oauth2ServerProviders } from './oauth2-server.factory';
import { RevocationService } from './revocation.service';
import { RevokeController } from './revoke.controller';
import { TokenEndpointService } from './token-endpoint.service';
import { TokenController } from './token.controller';

/** The form-encoded OAuth endpoints guarded before body parsing (see installOAuthFormGuard). */
const FORM_ENDPOINTS = ['/oauth2/token', '/oauth2/introspect', '/oauth2/revoke'];

/** OAuth 2.0 endpoints: token, introspection, revocation and server metadata. */
@Module({
  imports: [ClientsModule, TokensModule, MetricsModule],
  controllers: [TokenController, IntrospectController, RevokeController, MetadataController],
  providers: [
    OAuth2Model,
    ...oauth2ServerProviders,
    ClientAuthenticator,
    TokenEndpointService,
    IntrospectionService,
    RevocationService,
  ],
})
export class AuthModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Absent in a standalone application context (e.g. the admin CLI): nothing to guard.
    if (fastify) installOAuthFormGuard(fastify, FORM_ENDPOINTS);
  }
}
