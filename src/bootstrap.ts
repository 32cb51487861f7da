import fastifyHelmet from '@fastify/helmet';
import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { loggerOptions } from './observability/logger.options';
import { installRequestLog } from './observability/request-log';
import { installBodyParsers, installCacheValueParser } from './platform/body-parsers';
import { applyConnectionLimit, BODY_LIMIT_BYTES, fastifyOptions } from './platform/http-server';
import { RouteTable } from './platform/route-table';
import { installSecurityHeaders } from './platform/security-headers';

export interface CreateAppOptions {
  /** Where log lines go; stdout by default (tests capture them here). */
  readonly logDestination?: DestinationStream;
}

/**
 * Builds the Nest application without listening; main.ts and the tests share it so
 * tests exercise exactly what production runs.
 */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = pino(loggerOptions(config), options.logDestination);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger),
    new FastifyAdapter(fastifyOptions(config, logger)),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  app.get(RouteTable).watch(fastify);
  installSecurityHeaders(fastify, config.oauth.issuer);
  // Not global: the API keeps installSecurityHeaders'; pages call reply.helmet() (views/page-reply.ts).
  await app.register(fastifyHelmet, { global: false });
  installRequestLog(fastify, logger);
  installBodyParsers(app, BODY_LIMIT_BYTES);
  installCacheValueParser(app, '/api/v1/cache/', config.cache.maxValueBytes);
  applyConnectionLimit(app.getHttpServer(), config.http);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: invalidRequest,
    }),
  );
  app.enableShutdownHooks();
  return app;
}

/** DTO validation failures are `invalid_request` (RFC 6749 section 5.2) listing every problem. */
function invalidRequest(errors: ValidationError[]): BadRequestException {
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).concat(
      e.children?.length ? [`${e.property} is invalid`] : [],
    ),
  );
  return new BadRequestException({
    error: 'invalid_request',
    error_description: problems.join('; ') || 'invalid request body',
  });
}
