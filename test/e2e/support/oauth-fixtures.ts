/**
 * Helpers for the OAuth e2e suites: hand-written HTTP (fetch) so error bodies and headers
 * are asserted exactly, PKCE pairs, and client/code fixtures made through the app's own
 * services.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ClientsService } from '../../../src/clients/clients.service';
import type { CreateClientInput } from '../../../src/clients/client.types';
import { TokensService } from '../../../src/tokens/tokens.service';
import { UsersService } from '../../../src/users/users.service';
import { eventually, RunningApp, startApp } from '../../support/test-app';

/** Boots the app and waits until it can reach Redis (startup never blocks on Redis). */
export async function startReadyApp(env: Record<string, string>): Promise<RunningApp> {
  const running = await startApp(env);
  await eventually(
    async () => (await fetch(`${running.url}/health/ready`)).ok,
    15_000,
    'app ready',
  );
  return running;
}

export const REDIRECT_URI = 'https://app.example.com/callback';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (empty string for none). */
  readonly body: unknown;
}

/** An exact RFC 6749 section 5.2 error answer, with the no-store headers every one carries. */
export function expectError(
  res: HttpResult,
  status: number,
  error: string,
  description: string,
): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { error, error_description: description },
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('pragma')).toBe('no-cache');
}

export interface PostOptions {
  readonly basic?: readonly [string, string];
  readonly headers?: Record<string, string>;
  /** Raw body; overrides `params`. */
  readonly raw?: string;
}

/** RFC 6749 section 2.3.1: id and secret are form-urlencoded before Basic encoding. */
export function basicHeader(id: string, secret: string): string {
  const enc = (v: string) => new URLSearchParams({ v }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

export async function post(
  app: RunningApp,
  path: string,
  params: Record<string, string> | [string, string][] = {},
  options: PostOptions = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    ...(options.basic ? { authorization: basicHeader(...options.basic) } : {}),
    ...options.headers,
  };
  const body = options.raw ?? new URLSearchParams(params).toString();
  const res = await fetch(`${app.url}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? '' : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

let counter = 0;

/** Registers a client through the app's ClientsService; returns its id and secret. */
export async function createClient(
  app: RunningApp,
  input: Partial<CreateClientInput> = {},
): Promise<{ id: string; secret: string }> {
  counter += 1;
  const { client, clientSecret } = await app.app.get(ClientsService).create({
    id: `client-${counter}-${randomBytes(3).toString('hex')}`,
    name: 'e2e client',
    type: 'confidential',
    grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'cache:read'],
    redirectUris: [REDIRECT_URI],
    ...input,
  });
  return { id: client.id, secret: clientSecret ?? '' };
}

/** One resource owner per running app, created on first use: codes must name a live user. */
const owners = new WeakMap<RunningApp, Promise<string>>();

export function codeOwner(app: RunningApp): Promise<string> {
  let owner = owners.get(app);
  if (!owner) {
    owner = app.app
      .get(UsersService)
      .create({
        username: `owner-${randomBytes(4).toString('hex')}`,
        password: randomBytes(16).toString('base64url'),
      })
      .then((user) => user.id);
    owners.set(app, owner);
  }
  return owner;
}

/** Mints an authorization code as /authorize does, through TokensService, for codeOwner. */
export async function mintCode(
  app: RunningApp,
  clientId: string,
  challenge: string,
  scope: readonly string[] = ['openid', 'profile'],
): Promise<string> {
  const { code } = await app.app.get(TokensService).saveAuthorizationCode(
    {
      clientId,
      userId: await codeOwner(app),
      scope,
      redirectUri: REDIRECT_URI,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      authTime: Math.floor(Date.now() / 1000),
    },
    app.config.oauth.authCodeTtlSeconds,
  );
  return code;
}

/** The RFC 6749 section 5.2 error body, for exact comparison. */
export function oauthError(error: string, description: string | RegExp = /.+/): object {
  return {
    error,
    error_description:
      typeof description === 'string' ? description : expect.stringMatching(description),
  };
}
