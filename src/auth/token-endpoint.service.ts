import { Inject, Injectable } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { IncomingHttpHeaders } from 'node:http';
import type { Histogram } from 'prom-client';
import { METRIC } from '../metrics/metric-names';
import { unsupportedGrantType } from '../oauth/errors';
import { toOAuthError } from '../oauth/oauth-exception.filter';
import type { GrantType } from '../oauth/grants/grant-model';
import { extractClientCredentials } from './client-authenticator';
import type { OAuthForm } from './form-body';
import { GRANT_REGISTRY, GrantRegistry, OAUTH2_SERVER } from './oauth2-server.factory';
import { translateStorageOutage } from './oauth-error-translator';

/** RFC 6749 section 5.1 successful token response. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in?: number;
  readonly refresh_token?: string;
  readonly scope?: string;
}

/**
 * POST /oauth2/token (RFC 6749 section 3.2): extracts client credentials per RFC 6749
 * section 2.3.1, rejects grant types outside the registry, then runs the library's token
 * handler with our grants and model. Records METRIC.tokenEndpointDuration.
 */
@Injectable()
export class TokenEndpointService {
  constructor(
    @Inject(OAUTH2_SERVER) private readonly server: OAuth2Server,
    @Inject(GRANT_REGISTRY) private readonly registry: GrantRegistry,
    @InjectMetric(METRIC.tokenEndpointDuration) private readonly duration: Histogram<string>,
  ) {}

  async exchange(headers: IncomingHttpHeaders, form: OAuthForm): Promise<TokenResponse> {
    const stopTimer = this.duration.startTimer();
    const grantType = this.registry.has(form.grant_type as GrantType) ? form.grant_type : 'other';
    try {
      const body = await this.run(headers, form);
      stopTimer({ grant_type: grantType, outcome: 'success' });
      return body;
    } catch (err) {
      stopTimer({ grant_type: grantType, outcome: outcomeOf(err) });
      throw err;
    }
  }

  private async run(headers: IncomingHttpHeaders, form: OAuthForm): Promise<TokenResponse> {
    const grantType = form.grant_type;
    if (grantType !== undefined && !this.registry.has(grantType as GrantType)) {
      throw unsupportedGrantType.withHint('Unsupported grant type: `grant_type` is invalid');
    }
    const credentials = extractClientCredentials(headers.authorization, form);
    // Credentials go to the library as body parameters, already form-decoded: its own
    // Basic parser does not apply the form-urlencoding of RFC 6749 section 2.3.1.
    const body: Record<string, string> = { ...form };
    if (credentials) body.client_id = credentials.clientId;
    if (credentials?.clientSecret !== undefined) body.client_secret = credentials.clientSecret;
    const request = new OAuth2Server.Request({
      method: 'POST',
      headers: libraryHeaders(headers),
      query: {},
      body,
    });
    const response = new OAuth2Server.Response();
    await this.server.token(request, response);
    return response.body as TokenResponse;
  }
}

/** Only what the library inspects (content type, body presence); never Authorization. */
const LIBRARY_HEADERS = ['content-type', 'content-length', 'transfer-encoding'] as const;

function libraryHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of LIBRARY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

/** Metric label: the RFC 6749 error code the client will see. */
function outcomeOf(err: unknown): string {
  return toOAuthError(err, translateStorageOutage)?.error ?? 'server_error';
}
