import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { isRedisOutage, RedisUnavailableException, RETRY_AFTER_SECONDS } from './redis-unavailable';

/**
 * Global last-resort filter: a Redis outage anywhere becomes 503 + Retry-After with a
 * JSON body naming the connection state; everything else goes to Nest's default
 * handling (HttpExceptions as they are, unknown errors as a bare 500 without internals).
 */
@Catch()
export class RedisOutageFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(RedisOutageFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!isRedisOutage(exception) || host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    const unavailable =
      exception instanceof RedisUnavailableException
        ? exception
        : new RedisUnavailableException('unknown');
    if (!(exception instanceof HttpException)) {
      this.logger.warn(`Redis outage during request: ${(exception as Error).message}`);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(unavailable.getStatus())
      .header('Retry-After', String(RETRY_AFTER_SECONDS))
      .header('Cache-Control', 'no-store')
      .send(unavailable.getResponse());
  }
}
