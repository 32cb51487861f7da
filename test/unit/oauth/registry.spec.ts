import OAuth2Server from '@node-oauth/oauth2-server';
import { AuthorizationCodeGrant } from '../../../src/oauth/grants/authorization-code.grant';
import { ClientCredentialsGrant } from '../../../src/oauth/grants/client-credentials.grant';
import { PasswordGrant } from '../../../src/oauth/grants/password.grant';
import { RefreshTokenGrant } from '../../../src/oauth/grants/refresh-token.grant';
import { extendedGrantTypes, grantRegistry } from '../../../src/oauth/grants/registry';

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
    const Refused = extended.password as unknown as new (o: object) => {
      handle(): Promise<unknown>;
    };
    const handler = new Refused({ model: {}, accessTokenLifetime: 1 });
    await expect(handler.handle()).rejects.toBeInstanceOf(OAuth2Server.UnsupportedGrantTypeError);
  });

  it('answers the enabled password grant with unsupported_grant_type naming the missing user store', async () => {
    const grant = new PasswordGrant({ model: {}, accessTokenLifetime: 1 } as never);
    await expect(grant.handle()).rejects.toMatchObject({
      name: 'unsupported_grant_type',
      message: 'Unsupported grant type: `password` is enabled but no user store is configured',
    });
  });
});
