/** HTTP helpers of the cache API suites: a client with cache namespaces and its token. */
import { randomBytes } from 'node:crypto';
import type { CreateClientInput } from '../../../src/clients/client.types';
import { ClientsService } from '../../../src/clients/clients.service';
import { basicHeader } from '../../e2e/support/oauth-fixtures';
import type { RunningApp } from '../../support/test-app';

/** Registers a confidential client_credentials client and returns a token for `scope`. */
export async function tokenFor(
  app: RunningApp,
  scope: string,
  input: Partial<CreateClientInput> = {},
): Promise<string> {
  const { client, clientSecret } = await app.app.get(ClientsService).create({
    id: `cache-client-${randomBytes(4).toString('hex')}`,
    name: 'cache test client',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['cache:read', 'cache:write'],
    ...input,
  });
  const res = await fetch(`${app.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicHeader(client.id, clientSecret ?? ''),
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export function cacheCall(
  app: RunningApp,
  token: string | null,
  method: string,
  path: string,
  init: { body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${app.url}/api/v1/cache/${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    body: init.body,
  });
}
