/**
 * Container health check: `node dist/healthcheck.js` exits 0 when `/health/live` answers 200
 * within 3 s, else 1. It is what the Dockerfile's HEALTHCHECK and docker-compose run, so the
 * image needs no curl or wget. Standalone on purpose: it loads no Nest module and no config
 * validation, only PORT and HOST from the environment (as the server reads them).
 */
import { request } from 'node:http';

const TIMEOUT_MS = 3000;

/** A wildcard listen address is not a destination: probe loopback instead. */
function probeHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host;
}

function check(): void {
  const req = request(
    {
      host: probeHost(process.env.HOST),
      port: Number(process.env.PORT ?? 3000),
      path: '/health/live',
      timeout: TIMEOUT_MS,
    },
    (res) => {
      res.resume();
      process.exit(res.statusCode === 200 ? 0 : 1);
    },
  );
  req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
  req.on('error', (err) => {
    process.stderr.write(`healthcheck: ${err.message}\n`);
    process.exit(1);
  });
  req.end();
}

check();
