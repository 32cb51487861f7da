import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { IncomingHttpHeaders } from 'node:http';
import type { Histogram } from 'prom-client';
import { METRIC } from '../metrics/metric-names';
import { RateLimitedError } from '../redis/rate-limit';
import { RateLimitService } from '../ratelimit/rate-limit.service';
import { ClientAuthenticator } from './client-authentication';
import type { OAuthForm } from './form-body';
import { toOAuthError } from './oauth-exception.filter';
import { TokenExchange } from './token-exchange';

/** RFC 6749 section 5.1 successful token response. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly scope?: string;
}

const KNOWN_GRANTS = new Set(['authorization_code', 'client_credentials', 'refresh_token']);

/**
 * POST /oauth2/token (RFC 6749 section 3.2): ONE client authentication, then the grant
 * (TokenExchange: the library checks grant_type and runs our grant, which issues with one
 * Lua call). The client's rate limit is charged inside that same call (docs/rate-limiting.md);
 * a failed client authentication is charged to the caller's IP. Records
 * METRIC.tokenEndpointDuration by grant type and outcome (`rate_limited` for a 429).
 */
@Injectable()
export class TokenEndpointService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly exchange: TokenExchange,
    private readonly limits: RateLimitService,
    @InjectMetric(METRIC.tokenEndpointDuration) private readonly duration: Histogram<string>,
  ) {}

  /** `ip`: the caller's address as Fastify resolved it (TRUST_PROXY). */
  async token(headers: IncomingHttpHeaders, form: OAuthForm, ip: string): Promise<TokenResponse> {
    const stopTimer = this.duration.startTimer();
    const grantType = KNOWN_GRANTS.has(form.grant_type ?? '') ? form.grant_type : 'other';
    try {
      this.exchange.checkGrantType(form.grant_type);
      const client = await this.authenticator.authenticate(
        headers.authorization,
        form,
        'token',
        ip,
      );
      const charge = this.limits.chargeFor('client', client.id);
      const { token, grant } = await this.exchange.exchange(client, headers, form, charge);
      if (charge) this.limits.record('client', 'allowed');
      stopTimer({ grant_type: grantType, outcome: 'success' });
      const scope = token.scope?.join(' ');
      return {
        access_token: token.accessToken,
        token_type: 'Bearer',
        // The lifetime the grant issued with, not a re-computation from a clock.
        expires_in: grant.accessTokenLifetime,
        ...(token.refreshToken ? { refresh_token: token.refreshToken } : {}),
        // RFC 6749 section 3.3: scope = 1*( SP scope-token ): omitted when empty.
        ...(scope ? { scope } : {}),
      };
    } catch (err) {
      const failure = toOAuthError(err);
      const cause = failure.cause;
      const limited = cause instanceof RateLimitedError;
      // A failed authentication's IP limit was counted by RateLimitService itself.
      if (limited && cause.charge.scope === 'client') this.limits.record('client', 'limited');
      stopTimer({ grant_type: grantType, outcome: limited ? 'rate_limited' : failure.error });
      throw err;
    }
  }
}
