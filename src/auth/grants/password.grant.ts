import OAuth2Server from '@node-oauth/oauth2-server';

/**
 * Resource owner password credentials (RFC 6749 section 4.3), registered only when
 * PASSWORD_GRANT_ENABLED is set. There is no user store yet, so even then it answers
 * unsupported_grant_type, saying why, instead of falling back to the library's
 * implementation (which would need model.getUser).
 */
export class PasswordGrant extends OAuth2Server.AbstractGrantType {
  async handle(): Promise<OAuth2Server.Token> {
    throw new OAuth2Server.UnsupportedGrantTypeError(
      'Unsupported grant type: `password` is enabled but no user store is configured',
    );
  }
}
