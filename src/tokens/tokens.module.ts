import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { BearerTokenGuard } from './bearer-token.guard';
import { CodeStore } from './code.store';
import { RedisCodeStore } from './redis-code.store';
import { RedisTokenStore } from './redis-token.store';
import { TokenStore } from './token.store';
import { TokensService } from './tokens.service';

/**
 * Access/refresh tokens and authorization codes. Uses the global RedisModule (REDIS_AUTH,
 * DurableWriter); other modules use TokensService and protect routes with
 * `@UseGuards(BearerTokenGuard)` + `@RequireScopes(...)`.
 */
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: TokenStore, useClass: RedisTokenStore },
    { provide: CodeStore, useClass: RedisCodeStore },
    TokensService,
    BearerTokenGuard,
  ],
  exports: [TokensService, BearerTokenGuard],
})
export class TokensModule {}
