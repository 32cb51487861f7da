import type { Counter } from 'prom-client';
import type { AppConfig } from '../../../src/config/app-config';
import type { CodeStore } from '../../../src/tokens/code.store';
import {
  ClientChangedError,
  CodeReplayedError,
  RefreshTokenReusedError,
} from '../../../src/tokens/token.errors';
import { TokenStore } from '../../../src/tokens/token.store';
import { TokensService } from '../../../src/tokens/tokens.service';

const counter = () => ({ inc: jest.fn() }) as unknown as Counter<string> & { inc: jest.Mock };
const config = {
  oauth: { refreshTokenAbsoluteTtlSeconds: 1000, refreshTokenReuseGraceSeconds: 7 },
} as AppConfig;

function setup(store: Partial<TokenStore>, codes: Partial<CodeStore> = {}) {
  const metrics = {
    issued: counter(),
    introspections: counter(),
    revocations: counter(),
    reuse: counter(),
    codes: counter(),
  };
  const service = new TokensService(
    store as TokenStore,
    codes as CodeStore,
    config,
    metrics.issued,
    metrics.introspections,
    metrics.revocations,
    metrics.reuse,
    metrics.codes,
  );
  return { service, metrics };
}
const rotation = { accessTtlSeconds: 900, refreshTtlSeconds: 3600 };
const client = { id: 'app', generation: 'g1', scopes: ['openid'] };
const issueOptions = {
  grantType: 'password' as const,
  withRefreshToken: true,
  accessTtlSeconds: 60,
  refreshTtlSeconds: 120,
  clientGeneration: 'g1',
};

describe('TokensService', () => {
  it('returns 256-bit tokens to the caller and hands only their digests to the store', async () => {
    const issue = jest.fn().mockResolvedValue(undefined);
    const { service, metrics } = setup({ issue });
    const issued = await service.issue({ clientId: 'app', scope: ['openid'] }, issueOptions);
    const stored = JSON.stringify(issue.mock.calls[0][0]);
    expect(stored).not.toContain(issued.accessToken);
    expect(stored).not.toContain(issued.refreshToken);
    expect(issued.refreshTokenExpiresAt!.getTime() - issued.accessTokenExpiresAt.getTime()).toBe(
      60_000,
    );
    expect(metrics.issued.inc).toHaveBeenCalledWith({ grant_type: 'password' });
  });

  it('starts a family that ends REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS after issuance', async () => {
    const issue = jest.fn().mockResolvedValue(undefined);
    const { service } = setup({ issue });
    const issued = await service.issue(
      { clientId: 'app', scope: [] },
      { ...issueOptions, refreshTtlSeconds: 5000 },
    );
    const records = issue.mock.calls[0][0];
    expect(records.clientGeneration).toBe('g1');
    expect(records.refresh.familyExpiresAt).toBe(records.issuedAt + 1000);
    expect(records.refreshTtlSeconds).toBe(1000);
    expect(issued.refreshTokenExpiresAt!.getTime()).toBe((records.issuedAt + 1000) * 1000);
  });

  it('passes the client as it is now, the grace period and the absolute lifetime to rotation', async () => {
    const rotate = jest.fn().mockResolvedValue({ scope: ['openid'], refreshTtlSeconds: 42 });
    const { service } = setup({ rotate });
    const rotated = await service.rotateRefreshToken('t', client, rotation);
    expect(rotate.mock.calls[0][0]).toMatchObject({
      client,
      reuseGraceSeconds: 7,
      absoluteTtlSeconds: 1000,
    });
    const nowMs = rotate.mock.calls[0][0].nowMs as number;
    expect(rotated.refreshTokenExpiresAt!.getTime()).toBe((Math.floor(nowMs / 1000) + 42) * 1000);
    expect(rotated.scope).toEqual(['openid']);
  });

  it('lets store errors through unchanged (the stores classify Redis outages)', async () => {
    const bug = new TypeError('bug');
    const { service } = setup({ find: jest.fn().mockRejectedValue(bug) });
    await expect(service.introspect('t')).rejects.toBe(bug);
  });

  it('counts refresh token reuse and rethrows it', async () => {
    const reused = new RefreshTokenReusedError('rotateRefreshToken', -2, 'reused');
    const { service, metrics } = setup({ rotate: jest.fn().mockRejectedValue(reused) });
    await expect(service.rotateRefreshToken('t', client, rotation)).rejects.toBe(reused);
    expect(metrics.reuse.inc).toHaveBeenCalledTimes(1);
    expect(metrics.issued.inc).not.toHaveBeenCalled();
  });

  it('issues nothing and counts nothing for a changed client', async () => {
    const changed = new ClientChangedError('issueTokens', -2, 'changed');
    const { service, metrics } = setup({ issue: jest.fn().mockRejectedValue(changed) });
    await expect(service.issue({ clientId: 'app', scope: [] }, issueOptions)).rejects.toBe(changed);
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

  it('revokes all tokens of a client through the store', async () => {
    const revokeAllForClient = jest.fn().mockResolvedValue(3);
    const { service } = setup({ revokeAllForClient });
    await expect(service.revokeAllForClient('app')).resolves.toBe(3);
    expect(revokeAllForClient).toHaveBeenCalledWith('app');
  });

  it('refuses non-positive lifetimes before touching the store', async () => {
    const issue = jest.fn();
    const { service } = setup({ issue });
    await expect(
      service.issue(
        { clientId: 'app', scope: [] },
        { ...issueOptions, withRefreshToken: false, accessTtlSeconds: 0 },
      ),
    ).rejects.toThrow(RangeError);
    expect(issue).not.toHaveBeenCalled();
  });

  describe('redeemAuthorizationCode', () => {
    const redemption = {
      client,
      redirectUri: 'https://app.example/cb',
      codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wA1gFWjOEjXk',
      accessTtlSeconds: 60,
      refreshTtlSeconds: 0,
    };

    it('hands the store digests and the S256 challenge of the verifier, never values', async () => {
      const redeemCode = jest.fn().mockResolvedValue({ scope: ['openid'], userId: 'u1' });
      const { service, metrics } = setup({}, { redeemCode });
      const issued = await service.redeemAuthorizationCode('the-code', redemption);
      const stored = redeemCode.mock.calls[0][0];
      expect(stored.verifierChallenge).toBe('jKQ8X-zFRZom4hqaISi6UWNijoPkLrqZj6EwV11xJDM');
      expect(JSON.stringify(stored)).not.toContain('the-code');
      expect(JSON.stringify(stored)).not.toContain(issued.accessToken);
      expect(stored.refresh).toBeUndefined();
      expect(stored.familyId).toEqual(expect.any(String));
      expect(issued).toMatchObject({ userId: 'u1', scope: ['openid'] });
      expect(issued.refreshToken).toBeUndefined();
      expect(metrics.codes.inc).toHaveBeenCalledWith({ event: 'redeemed' });
    });

    it('counts a replay and rethrows it', async () => {
      const redeemCode = jest.fn().mockRejectedValue(new CodeReplayedError('redeemCode', -2, 'x'));
      const { service, metrics } = setup({}, { redeemCode });
      await expect(service.redeemAuthorizationCode('c', redemption)).rejects.toBeInstanceOf(
        CodeReplayedError,
      );
      expect(metrics.codes.inc).toHaveBeenCalledWith({ event: 'replayed' });
      expect(metrics.issued.inc).not.toHaveBeenCalled();
    });
  });
});
