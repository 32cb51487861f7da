import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';

/** Body limit for every route: OAuth requests are small; big bodies are abuse. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the Nest application without listening; main.ts and the tests share it so
 * tests exercise exactly what production runs.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: true }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
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
