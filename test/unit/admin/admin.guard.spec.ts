import { ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ADMIN_SCOPE, AdminGuard } from '../../../src/admin/admin.guard';
import { loadConfig } from '../../../src/config/load-config';
import { BearerTokenGuard } from '../../../src/tokens/bearer-token.guard';
import { RequireScopes } from '../../../src/tokens/require-scopes.decorator';
import type { TokenInfo } from '../../../src/tokens/token.types';
import type { TokensService } from '../../../src/tokens/tokens.service';

const ADMIN_TOKEN = 'bootstrap-admin-token-0123456789abcdef';

/** Stands for the admin controller: the guard reads the route's required scopes. */
@RequireScopes(ADMIN_SCOPE)
class AdminRoute {
  handle(): void {}
}

function context(authorization?: string) {
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => ((headers[name] = value), reply) };
  const ctx = {
    getHandler: () => AdminRoute.prototype.handle,
    getClass: () => AdminRoute,
    switchToHttp: () => ({
      getRequest: () => ({ headers: { authorization } }),
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
  return { ctx, headers };
}

function guard(tokens: Record<string, TokenInfo>, adminToken: string | null = ADMIN_TOKEN) {
  const config = loadConfig(adminToken ? { ADMIN_TOKEN: adminToken } : {});
  const fake = { introspect: async (token: string) => tokens[token] ?? null };
  const bearer = new BearerTokenGuard(fake as unknown as TokensService, new Reflector());
  return new AdminGuard(config, bearer);
}

const info = (scope: string[]): TokenInfo => ({
  kind: 'access_token',
  clientId: 'ops',
  scope,
  issuedAt: 0,
  expiresAt: 0,
});

const status = (code: number) =>
  expect.objectContaining({ getStatus: expect.any(Function), status: code }) as HttpException;

describe('AdminGuard', () => {
  it('admits the bootstrap admin token', async () => {
    await expect(guard({}).canActivate(context(`Bearer ${ADMIN_TOKEN}`).ctx)).resolves.toBe(true);
  });

  it('admits an access token with the admin scope', async () => {
    const g = guard({ tok: info(['openid', 'admin']) });
    await expect(g.canActivate(context('Bearer tok').ctx)).resolves.toBe(true);
  });

  it('challenges a request without credentials with the bare realm (RFC 6750 section 3)', async () => {
    const { ctx, headers } = context();
    await expect(guard({}).canActivate(ctx)).rejects.toEqual(status(401));
    expect(headers['WWW-Authenticate']).toBe('Bearer realm="tollgate"');
  });

  it('rejects an unknown token, and a near miss of the admin token, as invalid_token', async () => {
    for (const token of ['unknown', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(0, -1)]) {
      const { ctx, headers } = context(`Bearer ${token}`);
      await expect(guard({}).canActivate(ctx)).rejects.toEqual(status(401));
      expect(headers['WWW-Authenticate']).toContain('error="invalid_token"');
    }
  });

  it('rejects a valid token without the admin scope with 403 insufficient_scope', async () => {
    const { ctx, headers } = context('Bearer tok');
    await expect(guard({ tok: info(['cache:read']) }).canActivate(ctx)).rejects.toEqual(
      status(403),
    );
    expect(headers['WWW-Authenticate']).toContain('error="insufficient_scope"');
  });

  it('has no bootstrap credential when ADMIN_TOKEN is unset', async () => {
    const { ctx } = context(`Bearer ${ADMIN_TOKEN}`);
    await expect(guard({}, null).canActivate(ctx)).rejects.toEqual(status(401));
  });
});
