import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RateLimitModule } from '../ratelimit/ratelimit.module';
import { TokensModule } from '../tokens/tokens.module';
import { CacheNamespaceGuard } from './cache-namespace.guard';
import { CacheController } from './cache.controller';
import { CacheService } from './cache.service';
import { CacheStore } from './cache.store';
import { RedisCacheStore } from './redis-cache.store';

/**
 * The service cache on the cache client (REDIS_CACHE, DB 1): /api/v1/cache/{service}/{key}
 * for microservices. Tokens for the bearer check, clients for `cache_services`. CacheStore
 * is exported for the cache-cleanup job (`cleanupExpired`).
 */
@Module({
  imports: [MetricsModule, TokensModule, ClientsModule, RateLimitModule],
  controllers: [CacheController],
  providers: [
    { provide: CacheStore, useClass: RedisCacheStore },
    CacheService,
    CacheNamespaceGuard,
  ],
  exports: [CacheStore],
})
export class CacheModule {}
