import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { invalidClient, invalidGrant } from '../../../src/auth/errors';
import { OAuthExceptionFilter } from '../../../src/auth/oauth-exception.filter';
import { RedisUnavailableException } from '../../../src/redis/redis-unavailable';

interface Written {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
}

function render(
  exception: unknown,
  authorization?: string,
  filter = new OAuthExceptionFilter(),
): Written {
  const written: Written = { headers: {} };
  const reply = {
    status(code: number) {
      written.status = code;
      return reply;
    },
    headers(h: Record<string, string>) {
      Object.assign(written.headers, h);
      return reply;
    },
    send(body: unknown) {
      written.body = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({
      getResponse: () => reply,
      getRequest: () => ({ headers: authorization ? { authorization } : {} }),
    }),
  } as unknown as ArgumentsHost;
  filter.catch(exception, host);
  return written;
}

describe('OAuthExceptionFilter', () => {
  it('writes RFC 6749 section 5.2 JSON with no-store and no-cache', () => {
    expect(render(invalidGrant.withHint('Invalid grant: code expired'))).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { error: 'invalid_grant', error_description: 'Invalid grant: code expired' },
    });
  });

  it('answers invalid_client with 401 and a Basic challenge when the client used Basic', () => {
    const written = render(
      invalidClient.withHint('Invalid client: client authentication failed'),
      'Basic YTpi',
    );
    expect(written.status).toBe(401);
    expect(written.headers['WWW-Authenticate']).toBe('Basic realm="tollgate"');
  });

  it('keeps invalid_client at 400 without a challenge for body credentials', () => {
    const written = render(invalidClient.withHint('Invalid client: client authentication failed'));
    expect(written.status).toBe(400);
    expect(written.headers['WWW-Authenticate']).toBeUndefined();
  });

  it('answers a storage outage classified by a store with 503 temporarily_unavailable and Retry-After', () => {
    const written = render(new RedisUnavailableException('failed'));
    expect(written.status).toBe(503);
    expect(written.headers['Retry-After']).toBe('5');
    expect((written.body as { error: string }).error).toBe('temporarily_unavailable');
  });

  it('turns framework 4xx exceptions into invalid_request', () => {
    const written = render(new BadRequestException('Request body is too large'));
    expect(written.body).toEqual({
      error: 'invalid_request',
      error_description: 'Request body is too large',
    });
  });

  it('answers unknown errors with server_error 500 without internals, and logs them', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const written = render(new TypeError('secret internal detail at /src/x.ts'));
    expect(written.status).toBe(500);
    expect(written.body).toEqual({
      error: 'server_error',
      error_description: 'The authorization server encountered an unexpected condition',
    });
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining('secret internal detail'),
      expect.any(String),
    );
    log.mockRestore();
  });
});
