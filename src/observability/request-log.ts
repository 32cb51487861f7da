import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** Probes and scrapes would drown the request log. */
const QUIET = /^\/(health|metrics)(\/|$|\?)/;

/**
 * One "request completed" line per request at info or below. At warn (production's usual
 * level) no hook is installed, so requests cost no logging work at all.
 */
export function installRequestLog(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!QUIET.test(request.url)) {
      request.log.info(
        { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 1000) / 1000 },
        'request completed',
      );
    }
    done();
  });
}
