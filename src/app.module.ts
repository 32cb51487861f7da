import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { CacheModule } from './cache/cache.module';
import { AppConfig } from './config/app-config';
import { ClientsModule } from './clients/clients.module';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { InteractionModule } from './interaction/interaction.module';
import { ManagementModule } from './management/management.module';
import { MetricsModule } from './metrics/metrics.module';
import { AppExceptionFilter } from './app-exception.filter';
import { RouteTable } from './platform/route-table';
import { RedisModule } from './redis/redis.module';
import { RateLimitModule } from './ratelimit/ratelimit.module';

/** Composition root: wires feature modules; holds no logic. */
@Module({})
export class AppModule {
  /** `logger`: the one pino instance, shared with Fastify (see bootstrap.ts). */
  static forRoot(config: AppConfig, logger: Pino): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // nestjs-pino over Fastify's own logger (`useExisting`), bound to no route: no
        // per-request middleware, child logger or redaction; request lines are written by
        // observability/request-log.ts.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
        MetricsModule,
        RedisModule,
        HealthModule,
        ManagementModule.forRoot(config),
        ClientsModule,
        AdminModule,
        AuthModule,
        CacheModule,
        JobsModule.forRoot(config),
        RateLimitModule,
        InteractionModule,
      ],
      providers: [RouteTable, { provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}
