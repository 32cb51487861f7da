import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import type { OAuthClient } from '../clients/client.types';
import { invalidClient, invalidRequest } from '../oauth/errors';
import type { OAuthForm } from './form-body';

/** Token endpoint auth methods (RFC 7591 section 2 / RFC 8414 section 2). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface ClientCredentials {
  readonly clientId: string;
  /** Absent for public clients (method `none`). */
  readonly clientSecret?: string;
  readonly method: ClientAuthMethod;
}

/**
 * Extracts client credentials from `Authorization: Basic` or the body (RFC 6749 section
 * 2.3.1). Returns null when the request names no client at all. Throws invalid_request
 * when two methods are combined (RFC 6749 section 2.3: "MUST NOT use more than one
 * authentication method in each request") and invalid_client for unreadable Basic.
 */
export function extractClientCredentials(
  authorization: string | undefined,
  form: OAuthForm,
): ClientCredentials | null {
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
function parseBasic(authorization: string | undefined): ClientCredentials | undefined {
  const match = /^basic(?:\s+(.*))?$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  const encoded = (match[1] ?? '').trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || colon < 1) {
    throw invalidClient.withHint('Invalid client: malformed Basic credentials');
  }
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  return {
    clientId,
    clientSecret: clientSecret === '' ? undefined : clientSecret,
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

/** Authenticates callers of the introspection and revocation endpoints. */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly clients: ClientsService) {}

  /**
   * Resolves the client or throws invalid_client. `allowPublic` admits a public client
   * identified by client_id alone (RFC 7009 section 5: revocation by public clients).
   */
  async authenticate(
    credentials: ClientCredentials | null,
    allowPublic: boolean,
  ): Promise<OAuthClient> {
    const usable = requireCredentials(credentials, allowPublic);
    const client = await this.clients.authenticate(usable.clientId, usable.clientSecret);
    if (!client) throw invalidClient.withHint('Invalid client: client authentication failed');
    return client;
  }
}

/** Throws invalid_client when the request carries no credentials this endpoint accepts. */
export function requireCredentials(
  credentials: ClientCredentials | null,
  allowPublic: boolean,
): ClientCredentials {
  if (!credentials)
    throw invalidClient.withHint('Invalid client: client authentication is required');
  if (credentials.clientSecret === undefined && !allowPublic) {
    throw invalidClient.withHint('Invalid client: this endpoint requires client authentication');
  }
  return credentials;
}
