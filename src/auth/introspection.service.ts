import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import { AppConfig } from '../config/app-config';
import { invalidClient, invalidRequest } from '../oauth/errors';
import { TokensService } from '../tokens/tokens.service';
import type { TokenInfo, TokenKind } from '../tokens/token.types';
import { extractClientCredentials, requireCredentials } from './client-authenticator';
import type { OAuthForm } from './form-body';

/** RFC 7662 section 2.2 response. Inactive tokens reveal nothing else. */
export type IntrospectionResponse =
  | { readonly active: false }
  | {
      readonly active: true;
      readonly scope: string;
      readonly client_id: string;
      readonly sub: string;
      readonly exp: number;
      readonly iat: number;
      readonly token_type: string;
      readonly aud: string;
      readonly iss: string;
    };

const TOKEN_KINDS: ReadonlySet<string> = new Set<TokenKind>(['access_token', 'refresh_token']);

/** Parses token_type_hint; unknown values are ignored (RFC 7662 section 2.1, RFC 7009 section 2.1). */
export function tokenHint(form: OAuthForm): TokenKind | undefined {
  const hint = form.token_type_hint;
  return hint !== undefined && TOKEN_KINDS.has(hint) ? (hint as TokenKind) : undefined;
}

/**
 * POST /oauth2/introspect (RFC 7662). The caller must authenticate as a confidential client
 * (RFC 7662 section 2.1); client authentication and the token lookup run concurrently so the
 * hot path costs one round trip, and the token result is discarded if authentication fails.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
    private readonly config: AppConfig,
  ) {}

  async introspect(
    authorization: string | undefined,
    form: OAuthForm,
  ): Promise<IntrospectionResponse> {
    const credentials = requireCredentials(extractClientCredentials(authorization, form), false);
    const token = form.token;
    const [client, info] = await Promise.all([
      this.clients.authenticate(credentials.clientId, credentials.clientSecret),
      token === undefined ? Promise.resolve(null) : this.tokens.introspect(token, tokenHint(form)),
    ]);
    if (!client) throw invalidClient.withHint('Invalid client: client authentication failed');
    if (token === undefined) throw invalidRequest.withHint('Missing parameter: `token`');
    // Redis expiry is authoritative, but a record read in its last second must not be active.
    if (!info || info.expiresAt <= Math.floor(Date.now() / 1000)) return { active: false };
    return this.describe(info);
  }

  private describe(info: TokenInfo): IntrospectionResponse {
    return {
      active: true,
      scope: info.scope.join(' '),
      client_id: info.clientId,
      // client_credentials tokens have no resource owner: the client is the subject.
      sub: info.userId ?? info.clientId,
      exp: info.expiresAt,
      iat: info.issuedAt,
      // RFC 7662 section 2.2: token_type as in RFC 6749 section 5.1 (access tokens are Bearer).
      token_type: info.kind === 'access_token' ? 'Bearer' : 'refresh_token',
      // No resource indicators (RFC 8707) yet: the audience is the client the token was issued to.
      aud: info.clientId,
      iss: this.config.oauth.issuer,
    };
  }
}
