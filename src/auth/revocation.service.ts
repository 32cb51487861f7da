import { Injectable } from '@nestjs/common';
import { TokensService } from '../tokens/tokens.service';
import { ClientAuthenticator } from './client-authentication';
import { invalidRequest } from './errors';
import type { OAuthForm } from './form-body';
import { tokenHint } from './introspection.service';

/**
 * POST /oauth2/revoke (RFC 7009). Public clients may revoke their own tokens with client_id
 * alone (RFC 7009 section 5). Unknown tokens, tokens of another client and unsupported
 * token_type_hint values all answer 200 (RFC 7009 section 2.2): the caller learns nothing.
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly tokens: TokensService,
  ) {}

  async revoke(authorization: string | undefined, form: OAuthForm): Promise<void> {
    const client = await this.authenticator.authenticate(authorization, form, 'revocation');
    if (form.token === undefined) throw invalidRequest.withHint('Missing parameter: `token`');
    // An unknown hint is ignored and every token kind searched (RFC 7009 section 2.1).
    await this.tokens.revoke(form.token, client.id, tokenHint(form));
  }
}
