import { Injectable } from '@nestjs/common';
import { RateLimitedError } from '../redis/rate-limit';
import { RateLimitService } from '../ratelimit/rate-limit.service';
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
    private readonly limits: RateLimitService,
  ) {}

  /**
   * The client's rate limit is charged inside the revocation script (no extra round trip);
   * `ip` (TRUST_PROXY-resolved) is charged for a failed client authentication.
   */
  async revoke(authorization: string | undefined, form: OAuthForm, ip: string): Promise<void> {
    const client = await this.authenticator.authenticate(authorization, form, 'revocation', ip);
    if (form.token === undefined) throw invalidRequest.withHint('Missing parameter: `token`');
    const charge = this.limits.chargeFor('client', client.id);
    try {
      // An unknown hint is ignored and every token kind searched (RFC 7009 section 2.1).
      await this.tokens.revoke(form.token, client.id, tokenHint(form), charge);
    } catch (err) {
      if (err instanceof RateLimitedError) this.limits.record('client', 'limited');
      throw err;
    }
    if (charge) this.limits.record('client', 'allowed');
  }
}
