import OAuth2Server from '@node-oauth/oauth2-server';
import { issueTokens } from './issue-tokens';
import { runGrant } from './grant-client';
import { clientCredentialsScope } from './scope-policy';

/**
 * client_credentials (RFC 6749 section 4.4), as fosite's flow_client_credentials: check the
 * requested scope against the client, issue, done. No refresh token (section 4.4.3).
 */
export class ClientCredentialsGrant extends OAuth2Server.AbstractGrantType {
  handle(request: OAuth2Server.Request, client: OAuth2Server.Client): Promise<OAuth2Server.Token> {
    return runGrant(client, (grant) =>
      issueTokens(grant, {
        grantType: 'client_credentials',
        // The library's parser: undefined when absent, invalid_scope when malformed.
        scope: clientCredentialsScope(this.getScope(request), grant.client.scopes),
        withRefreshToken: false,
      }),
    );
  }
}
