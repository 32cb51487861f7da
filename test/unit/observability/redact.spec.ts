import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerOptions, redactUrl } from '../../../src/observability/logger.options';
import { Logger, PinoLogger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';

function capture(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, sink };
}

describe('log redaction', () => {
  it('removes credential values from URLs', () => {
    expect(redactUrl('/cb?code=abc123&state=xyz')).toBe('/cb?code=[Redacted]&state=xyz');
    expect(redactUrl('/api?access_token=t0k3n')).toBe('/api?access_token=[Redacted]');
    expect(redactUrl('/health')).toBe('/health');
  });

  it('censors authorization headers, cookies and secrets in log lines', () => {
    const { lines, sink } = capture();
    const logger = pino(loggerOptions({ logLevel: 'info' }), sink);
    logger.info(
      {
        req: { headers: { authorization: 'Basic c2VjcmV0', cookie: 'sid=s3ss10n' } },
        body: { client_secret: 'sup3r', password: 'hunter2', refresh_token: 'r3fr3sh' },
      },
      'request',
    );
    const out = lines.join('');
    for (const secret of ['c2VjcmV0', 's3ss10n', 'sup3r', 'hunter2', 'r3fr3sh']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[Redacted]');
  });

  it('logs a request as method, redacted URL and address: no headers, no body', () => {
    const { lines, sink } = capture();
    const logger = pino(loggerOptions({ logLevel: 'info' }), sink);
    const request = {
      method: 'POST',
      url: '/oauth2/token?refresh_token=r3fr3sh',
      ip: '10.1.2.3',
      headers: { authorization: 'Basic c2VjcmV0' },
      body: { client_secret: 'sup3r' },
    };
    logger.info({ req: request }, 'request completed');
    expect(JSON.parse(lines[0]).req).toEqual({
      method: 'POST',
      url: '/oauth2/token?refresh_token=[Redacted]',
      remoteAddress: '10.1.2.3',
    });
  });

  it("redacts what Nest loggers write too (nestjs-pino over Fastify's pino instance)", () => {
    const { lines, sink } = capture();
    __resetOutOfContextForTests();
    const params = { pinoHttp: { logger: pino(loggerOptions({ logLevel: 'info' }), sink) } };
    const nest = new Logger(new PinoLogger(params), params);
    nest.log({ msg: 'client created', client: { client_secret: 'sup3r' } }, 'Admin');
    nest.error('boom', 'Error: boom\n    at x', 'Filter');
    const [created, failed] = lines.map((l) => JSON.parse(l));
    expect(created).toMatchObject({ context: 'Admin', client: { client_secret: '[Redacted]' } });
    expect(failed).toMatchObject({ level: 50, context: 'Filter', msg: 'boom' });
    expect(lines.join('\n')).not.toContain('sup3r');
  });
});
