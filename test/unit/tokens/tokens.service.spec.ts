import type { Counter } from 'prom-client';
import { RedisUnavailableException } from '../../../src/redis/redis-unavailable';
import { RefreshTokenReusedError } from '../../../src/tokens/token.errors';
import { TokenStore } from '../../../src/tokens/token.store';
import { TokensService } from '../../../src/tokens/tokens.service';

const counter = () => ({ inc: jest.fn() }) as unknown as Counter<string> & { inc: jest.Mock };

function setup(store: Partial<TokenStore>) {
  const metrics = {
    issued: counter(),
    introspections: counter(),
    revocations: counter(),
    reuse: counter(),
  };
  const service = new TokensService(
    store as TokenStore,
    metrics.issued,
    metrics.introspections,
    metrics.revocations,
    metrics.reuse,
  );
  return { service, metrics };
}
const rotation = { accessTtlSeconds: 900, refreshTtlSeconds: 3600 };

describe('TokensService', () => {
  it('returns 256-bit tokens to the caller and hands only their digests to the store', async () => {
    const issue = jest.fn().mockResolvedValue(undefined);
    const { service, metrics } = setup({ issue });
    const issued = await service.issue(
      { clientId: 'app', scope: ['openid'] },
      {
        grantType: 'password',
        withRefreshToken: true,
        accessTtlSeconds: 60,
        refreshTtlSeconds: 120,
      },
    );
    const stored = JSON.stringify(issue.mock.calls[0][0]);
    expect(stored).not.toContain(issued.accessToken);
    expect(stored).not.toContain(issued.refreshToken);
    expect(issued.refreshTokenExpiresAt!.getTime() - issued.accessTokenExpiresAt.getTime()).toBe(
      60_000,
    );
    expect(metrics.issued.inc).toHaveBeenCalledWith({ grant_type: 'password' });
  });

  it('turns a Redis outage into RedisUnavailableException (503)', async () => {
    const { service } = setup({
      find: jest.fn().mockRejectedValue(new Error('Connection is closed.')),
    });
    await expect(service.introspect('t')).rejects.toThrow(RedisUnavailableException);
  });

  it('lets other errors through unchanged', async () => {
    const bug = new TypeError('bug');
    const { service } = setup({ find: jest.fn().mockRejectedValue(bug) });
    await expect(service.introspect('t')).rejects.toBe(bug);
  });

  it('counts refresh token reuse and rethrows it', async () => {
    const reused = new RefreshTokenReusedError('rotateRefreshToken', -2, 'reused');
    const { service, metrics } = setup({ rotate: jest.fn().mockRejectedValue(reused) });
    await expect(service.rotateRefreshToken('t', 'app', rotation)).rejects.toBe(reused);
    expect(metrics.reuse.inc).toHaveBeenCalledTimes(1);
    expect(metrics.issued.inc).not.toHaveBeenCalled();
  });

  it.each([
    [{ found: 'refresh_token', otherClient: false }, 'refresh_token'],
    [{ found: 'access_token', otherClient: true }, 'none'],
    [{ found: null, otherClient: false }, 'none'],
  ] as const)('labels revocation %p as %s', async (result, label) => {
    const { service, metrics } = setup({ revoke: jest.fn().mockResolvedValue(result) });
    await expect(service.revoke('t', 'app')).resolves.toEqual(result);
    expect(metrics.revocations.inc).toHaveBeenCalledWith({ token_type: label });
  });

  it('refuses non-positive lifetimes before touching the store', async () => {
    const issue = jest.fn();
    const { service } = setup({ issue });
    await expect(
      service.issue(
        { clientId: 'app', scope: [] },
        {
          grantType: 'client_credentials',
          withRefreshToken: false,
          accessTtlSeconds: 0,
          refreshTtlSeconds: 0,
        },
      ),
    ).rejects.toThrow(RangeError);
    expect(issue).not.toHaveBeenCalled();
  });
});
