import OAuth2Server from '@node-oauth/oauth2-server';
import { OAuth2Model, toLibraryClient } from '../../../src/auth/oauth2-model';
import type { ClientsService } from '../../../src/clients/clients.service';
import type { OAuthClient } from '../../../src/clients/client.types';
import {
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
} from '../../../src/tokens/token.errors';
import type { TokensService } from '../../../src/tokens/tokens.service';

const CLIENT: OAuthClient = {
  id: 'app',
  name: 'App',
  type: 'confidential',
  tokenEndpointAuthMethod: 'client_secret_basic',
  resourceServer: false,
  generation: 'g1',
  redirectUris: ['https://app.example.com/cb'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile'],
  accessTokenTtlSeconds: 60,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function model(
  tokens: Partial<TokensService> = {},
  clients: Partial<ClientsService> = {},
): OAuth2Model {
  return new OAuth2Model(clients as ClientsService, tokens as TokensService);
}

describe('OAuth2Model', () => {
  it("maps a client to the library's shape", () => {
    expect(toLibraryClient(CLIENT)).toEqual({
      id: 'app',
      grants: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://app.example.com/cb'],
      accessTokenLifetime: 60,
      refreshTokenLifetime: undefined,
      scopes: ['openid', 'profile'],
      type: 'confidential',
      generation: 'g1',
    });
  });

  it('authenticates through ClientsService, passing an empty secret as none', async () => {
    const authenticate = jest.fn().mockResolvedValue(null);
    await expect(model({}, { authenticate }).getClient('app', '')).resolves.toBeNull();
    expect(authenticate).toHaveBeenCalledWith('app', undefined);
  });

  describe('validateScope', () => {
    const client = toLibraryClient(CLIENT);
    it("grants all of the client's scopes when none is requested", async () => {
      await expect(model().validateScope({}, client, undefined)).resolves.toEqual([
        'openid',
        'profile',
      ]);
    });
    it('grants a requested subset, without duplicates', async () => {
      await expect(model().validateScope({}, client, ['openid', 'openid'])).resolves.toEqual([
        'openid',
      ]);
    });
    it('refuses a scope the client does not have', async () => {
      await expect(model().validateScope({}, client, ['openid', 'admin'])).resolves.toBe(false);
    });
  });

  it('returns a consumed code in the library shape with S256 PKCE and a Date expiry', async () => {
    const consumeAuthorizationCode = jest.fn().mockResolvedValue({
      clientId: 'app',
      userId: 'u1',
      scope: ['openid'],
      redirectUri: 'https://app.example.com/cb',
      codeChallenge: 'c'.repeat(43),
      codeChallengeMethod: 'S256',
      expiresAt: 1_900_000_000,
    });
    const code = await model({ consumeAuthorizationCode }).getAuthorizationCode('the-code');
    expect(code).toMatchObject({
      authorizationCode: 'the-code',
      expiresAt: new Date(1_900_000_000_000),
      client: { id: 'app' },
      user: { id: 'u1' },
      codeChallengeMethod: 'S256',
    });
  });

  it.each([
    [
      new InvalidRefreshTokenError('rotateRefreshToken', -1, 'x'),
      OAuth2Server.InvalidGrantError,
      'Invalid grant: refresh token is invalid',
    ],
    [
      new RefreshTokenReusedError('rotateRefreshToken', -2, 'x'),
      OAuth2Server.InvalidGrantError,
      'Invalid grant: refresh token was already used; the grant has been revoked',
    ],
    [
      new ScopeExceedsGrantError('rotateRefreshToken', -3, 'x'),
      OAuth2Server.InvalidScopeError,
      'Invalid scope: requested scope exceeds the original grant',
    ],
  ])('maps %p from rotation to the RFC 6749 error', async (thrown, type, message) => {
    const rotateRefreshToken = jest.fn().mockRejectedValue(thrown);
    const rotation = model({ rotateRefreshToken }).rotateRefreshToken({
      refreshToken: 'r',
      client: toLibraryClient(CLIENT),
      scope: undefined,
      accessTtlSeconds: 60,
      refreshTtlSeconds: 600,
    });
    await expect(rotation).rejects.toBeInstanceOf(type);
    await expect(rotation).rejects.toMatchObject({ message });
  });

  it('lets other rotation failures (e.g. outages) through unchanged', async () => {
    const outage = new Error('Connection is closed.');
    const rotateRefreshToken = jest.fn().mockRejectedValue(outage);
    await expect(
      model({ rotateRefreshToken }).rotateRefreshToken({
        refreshToken: 'r',
        client: toLibraryClient(CLIENT),
        scope: undefined,
        accessTtlSeconds: 60,
        refreshTtlSeconds: 600,
      }),
    ).rejects.toBe(outage);
  });
});
