import OAuth2Server from '@node-oauth/oauth2-server';
import { AuthorizationCodeGrant } from '../../../src/auth/grants/authorization-code.grant';
import { ClientCredentialsGrant } from '../../../src/auth/grants/client-credentials.grant';
import { PasswordGrant } from '../../../src/auth/grants/password.grant';
import { RefreshTokenGrant } from '../../../src/auth/grants/refresh-token.grant';
import { extendedGrantTypes, grantRegistry } from '../../../src/auth/grants/registry';

describe('grant registry', () => {
  it('holds authorization_code, client_credentials and refresh_token by default', () => {
    const registry = grantRegistry({ passwordGrantEnabled: false });
    expect([...registry.keys()]).toEqual([
      'authorization_code',
      'client_credentials',
      'refresh_token',
    ]);
    expect(registry.get('authorization_code')).toBe(AuthorizationCodeGrant);
    expect(registry.get('client_credentials')).toBe(ClientCredentialsGrant);
    expect(registry.get('refresh_token')).toBe(RefreshTokenGrant);
  });

  it('adds password only when PASSWORD_GRANT_ENABLED is set', () => {
    const registry = grantRegistry({ passwordGrantEnabled: true });
    expect(registry.get('password')).toBe(PasswordGrant);
  });

  it('overrides every library built-in, refusing the ones not registered', async () => {
    const extended = extendedGrantTypes(grantRegistry({ passwordGrantEnabled: false }));
    expect(Object.keys(extended).sort()).toEqual([
      'authorization_code',
      'client_credentials',
      'password',
      'refresh_token',
    ]);
    expect(extended.refresh_token).toBe(RefreshTokenGrant);
    // The library constructs handlers with its model in the options (not in its typings).
    const handler: OAuth2Server.AbstractGrantType = Reflect.construct(extended.password, [
      { model: {}, accessTokenLifetime: 1 },
    ]);
    await expect(handler.handle({} as never, { id: 'c', grants: [] })).rejects.toBeInstanceOf(
      OAuth2Server.UnsupportedGrantTypeError,
    );
  });

  it('answers the enabled password grant with unsupported_grant_type naming the missing user store', async () => {
    const grant = new PasswordGrant({
      model: {},
      accessTokenLifetime: 1,
    } as OAuth2Server.TokenOptions);
    await expect(grant.handle()).rejects.toMatchObject({
      name: 'unsupported_grant_type',
      message: 'Unsupported grant type: `password` is enabled but no user store is configured',
    });
  });
});
