import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACT_PATHS, redactUrl } from '../../../src/observability/logger.options';

describe('log redaction', () => {
  it('removes credential values from URLs', () => {
    expect(redactUrl('/cb?code=abc123&state=xyz')).toBe('/cb?code=[Redacted]&state=xyz');
    expect(redactUrl('/api?access_token=t0k3n')).toBe('/api?access_token=[Redacted]');
    expect(redactUrl('/health')).toBe('/health');
  });

  it('censors authorization headers, cookies and secrets in log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[Redacted]' } }, sink);
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
});
