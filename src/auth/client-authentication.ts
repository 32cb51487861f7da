import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import type { OAuthClient, TokenEndpointAuthMethod } from '../clients/client.types';
import { RateLimitService } from '../ratelimit/rate-limit.service';
import { invalidClient, invalidRequest, OAuthError } from './errors';
import type { OAuthForm } from './form-body';

/** Credentials as presented, parsed once per request. */
export interface PresentedCredentials {
  readonly clientId: string;
  /** Absent for method `none`. */
  readonly clientSecret?: string;
  readonly method: TokenEndpointAuthMethod;
}

/** Which endpoint is authenticating: introspection admits no public client (RFC 7662 section 2.1). */
export type AuthenticatingEndpoint = 'token' | 'introspection' | 'revocation';

const FAILED = invalidClient.withHint('Invalid client: client authentication failed');

/**
 * Extracts client credentials from `Authorization: Basic` or the body (RFC 6749 section
 * 2.3.1). Returns null when the request names no client at all. Throws invalid_request
 * when two methods are combined (RFC 6749 section 2.3: "MUST NOT use more than one
 * authentication method in each request") and invalid_client for unreadable Basic.
 */
export function parseClientCredentials(
  authorization: string | undefined,
  form: OAuthForm,
): PresentedCredentials | null {
  const basic = parseBasic(authorization);
  if (basic) {
    if (form.client_secret !== undefined) {
      throw invalidRequest.withHint(
        'Invalid request: client authentication must use exactly one method (Basic or body parameters)',
      );
    }
    if (form.client_id !== undefined && form.client_id !== basic.clientId) {
      throw invalidRequest.withHint(
        'Invalid request: `client_id` does not match the Basic credentials',
      );
    }
    return basic;
  }
  if (form.client_id === undefined) {
    if (form.client_secret !== undefined)
      throw invalidRequest.withHint('Missing parameter: `client_id`');
    return null;
  }
  return form.client_secret === undefined
    ? { clientId: form.client_id, method: 'none' }
    : { clientId: form.client_id, clientSecret: form.client_secret, method: 'client_secret_post' };
}

/**
 * RFC 6749 section 2.3.1: the id and secret are form-urlencoded (Appendix B) before being
 * joined with ':' and base64-encoded (RFC 7617), so both are decoded after splitting.
 * Non-Basic schemes are ignored here; undefined means "no Basic credentials".
 */
function parseBasic(authorization: string | undefined): PresentedCredentials | undefined {
  const match = /^basic(?:\s+(.*))?$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  const encoded = (match[1] ?? '').trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || colon < 1) {
    throw invalidClient.withHint('Invalid client: malformed Basic credentials');
  }
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientSecret === '')
    throw invalidClient.withHint('Invalid client: malformed Basic credentials');
  return {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret,
    method: 'client_secret_basic',
  };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient.withHint('Invalid client: malformed Basic credentials');
  }
}

/**
 * THE client authentication of the token, introspection and revocation endpoints
 * (RFC 6749 section 2.3): parses the credentials once, verifies them against the registry
 * (in-process cache, no Redis round trip when cached) and enforces the client's single
 * registered `token_endpoint_auth_method`: a client registered for Basic cannot switch to
 * body credentials, a confidential client cannot present none.
 * A failed authentication (invalid_client) is charged to the caller's IP (`ip`, as Fastify
 * resolved it under TRUST_PROXY): over RATE_LIMIT_IP_* the answer is 429 instead of 401/400.
 * A success costs no Redis call; per-client limits are charged later, by the token scripts.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly clients: ClientsService,
    private readonly limits: RateLimitService,
  ) {}

  async authenticate(
    authorization: string | undefined,
    form: OAuthForm,
    endpoint: AuthenticatingEndpoint,
    ip: string,
  ): Promise<OAuthClient> {
    try {
      return await this.verify(authorization, form, endpoint);
    } catch (err) {
      if (!(err instanceof OAuthError) || err.error !== 'invalid_client') throw err;
      await this.limits.failedClientAuthentication(ip);
      // RFC 7662 section 2.3: invalid credentials at introspection are a 401, however sent.
      throw endpoint === 'introspection' ? err.withStatus(401) : err;
    }
  }

  private async verify(
    authorization: string | undefined,
    form: OAuthForm,
    endpoint: AuthenticatingEndpoint,
  ): Promise<OAuthClient> {
    const credentials = parseClientCredentials(authorization, form);
    if (!credentials) {
      throw invalidClient.withHint('Invalid client: client authentication is required');
    }
    if (credentials.method === 'none' && endpoint === 'introspection') {
      throw invalidClient.withHint('Invalid client: this endpoint requires client authentication');
    }
    const client = await this.clients.authenticate(credentials.clientId, credentials.clientSecret);
    if (!client) throw FAILED;
    if (client.tokenEndpointAuthMethod !== credentials.method) {
      throw invalidClient.withHint(
        `Invalid client: this client must authenticate with ${client.tokenEndpointAuthMethod}`,
      );
    }
    return client;
  }
}
