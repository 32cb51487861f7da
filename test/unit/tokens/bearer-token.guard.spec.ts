import { ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerTokenGuard } from '../../../src/tokens/bearer-token.guard';
import { RequireScopes } from '../../../src/tokens/require-scopes.decorator';
import type { TokenInfo } from '../../../src/tokens/token.types';
import type { TokensService } from '../../../src/tokens/tokens.service';

const live: TokenInfo = {
  kind: 'access_token',
  clientId: 'svc',
  scope: ['cache:read'],
  issuedAt: 1,
  expiresAt: 2,
};

class Routes {
  @RequireScopes('cache:read')
  read(): void {}
  @RequireScopes('cache:write')
  write(): void {}
}

function run(authorization: string | undefined, handler: 'read' | 'write', info: TokenInfo | null) {
  const headers: Record<string, string> = {};
  const request: { headers: Record<string, string | undefined>; tokenInfo?: TokenInfo } = {
    headers: { authorization },
  };
  const reply = { header: (k: string, v: string) => (headers[k] = v) };
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
  } as unknown as ExecutionContext;
  const introspect = jest.fn().mockResolvedValue(info);
  const guard = new BearerTokenGuard({ introspect } as unknown as TokensService, new Reflector());
  return { result: guard.canActivate(context), headers, request, introspect };
}

async function rejection(result: Promise<boolean>): Promise<HttpException> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpException);
  return err as HttpException;
}

describe('BearerTokenGuard (RFC 6750)', () => {
  it('lets a live access token with the required scope through and exposes its record', async () => {
    const { result, request, introspect } = run('Bearer abc.DEF-123', 'read', live);
    await expect(result).resolves.toBe(true);
    expect(request.tokenInfo).toBe(live);
    expect(introspect).toHaveBeenCalledWith('abc.DEF-123', 'access_token');
  });

  it.each([undefined, 'Basic dXNlcjpwYXNz'])(
    'answers 401 with only the realm when credentials are missing (%p)',
    async (h) => {
      const { result, headers, introspect } = run(h, 'read', live);
      const err = await rejection(result);
      expect(err.getStatus()).toBe(401);
      expect(headers['WWW-Authenticate']).toBe('Bearer realm="tollgate"');
      // RFC 6750 section 3.1: no error code (invalid_token) when no credential was sent.
      expect(err.getResponse()).toEqual({
        error: 'unauthorized',
        error_description: 'Authentication required: send a bearer token',
      });
      expect(introspect).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['an unknown token', 'Bearer abc', null],
    ['a malformed header', 'Bearer a b', live],
    ['a refresh token', 'Bearer abc', { ...live, kind: 'refresh_token' as const }],
  ])('answers 401 invalid_token for %s', async (_what, h, info) => {
    const { result, headers } = run(h, 'read', info);
    const err = await rejection(result);
    expect(err.getStatus()).toBe(401);
    expect(err.getResponse()).toMatchObject({ error: 'invalid_token' });
    expect(headers['WWW-Authenticate']).toMatch(/^Bearer realm="tollgate", error="invalid_token"/);
  });

  it('answers 403 insufficient_scope naming the required scope', async () => {
    const { result, headers } = run('Bearer abc', 'write', live);
    const err = await rejection(result);
    expect(err.getStatus()).toBe(403);
    expect(err.getResponse()).toMatchObject({ error: 'insufficient_scope' });
    expect(headers['WWW-Authenticate']).toContain('error="insufficient_scope"');
    expect(headers['WWW-Authenticate']).toContain('scope="cache:write"');
  });
});
