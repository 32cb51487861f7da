/**
 * The per-client PKCE policy (client field require_pkce, RFC 9700 section 2.1.1): a
 * confidential client may be exempt, a public client never; S256 only, for everyone; and a
 * code issued without a challenge refuses a code_verifier (PKCE downgrade protection).
 */
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { createClient, pkcePair, post, REDIRECT_URI } from '../../e2e/support/oauth-fixtures';
import { Browser, paramsOf } from './browser';
import {
  ADMIN_TOKEN,
  authorizeUrl,
  createUser,
  obtainCode,
  redeem,
  startFlowApp,
} from './flow-support';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
/** require_pkce=false. */
let legacy: { id: string; secret: string };
/** The default: require_pkce=true. */
let strict: { id: string; secret: string };
let username: string;

beforeAll(async () => {
  running = await startFlowApp(topology().env());
  legacy = await createClient(running, { requirePkce: false });
  strict = await createClient(running);
  username = (await createUser(running)).username;
});
afterAll(() => running?.close());

const { challenge } = pkcePair();
const withoutPkce = ['code_challenge', 'code_challenge_method'];
const open = (path: string) => new Browser(running.url).get(path);

/** The error redirected to the client for an authorization request. */
async function redirectedError(url: string): Promise<Record<string, string>> {
  const page = await open(url);
  expect(page.status).toBe(303);
  expect(page.location!.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  return paramsOf(page.location);
}

describe('a confidential client with require_pkce=false', () => {
  it('gets a code without PKCE and redeems it without a code_verifier', async () => {
    const { code } = await obtainCode(running, legacy.id, username, { withoutPkce: true });
    const res = await redeem(running, legacy, code, undefined);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile' });
  });

  it('cannot redeem a code issued without PKCE with a code_verifier (downgrade), and the code is spent', async () => {
    const { code, verifier } = await obtainCode(running, legacy.id, username, {
      withoutPkce: true,
    });
    const res = await redeem(running, legacy, code, verifier);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description:
        'Invalid grant: code_verifier sent, but the authorization request had no code_challenge',
    });
    expect((await redeem(running, legacy, code, undefined)).status).toBe(400);
  });

  it('still needs the code_verifier of a code it requested with a challenge', async () => {
    const { code, verifier } = await obtainCode(running, legacy.id, username);
    const missing = await redeem(running, legacy, code, undefined);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      error: 'invalid_grant',
      error_description:
        'Invalid grant: the authorization request had a code_challenge; send its code_verifier',
    });
    // The failed attempt spent the code; a fresh one with the right verifier works.
    expect((await redeem(running, legacy, code, verifier)).status).toBe(400);
    const fresh = await obtainCode(running, legacy.id, username);
    expect((await redeem(running, legacy, fresh.code, fresh.verifier)).status).toBe(200);
  });

  it('gets invalid_grant for a wrong code_verifier of a PKCE code', async () => {
    const { code } = await obtainCode(running, legacy.id, username);
    const res = await redeem(running, legacy, code, pkcePair().verifier);
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid grant: code verifier is invalid',
    });
  });

  it('refuses code_challenge_method without code_challenge', async () => {
    const params = await redirectedError(
      authorizeUrl({ clientId: legacy.id, challenge, omit: ['code_challenge'] }),
    );
    expect(params).toMatchObject({ error: 'invalid_request', state: 'st-123' });
    expect(params.error_description).toMatch(/code_challenge_method was sent without/);
  });
});

describe('PKCE stays required where it must', () => {
  it('refuses a request without code_challenge from a default client', async () => {
    const params = await redirectedError(
      authorizeUrl({ clientId: strict.id, challenge, omit: withoutPkce }),
    );
    expect(params).toMatchObject({
      error: 'invalid_request',
      error_description: 'code_challenge is required (PKCE, RFC 7636)',
      iss: running.config.oauth.issuer,
    });
  });

  it.each([
    ['require_pkce=false', () => legacy],
    ['require_pkce=true', () => strict],
  ])('refuses plain PKCE for a client with %s', async (_name, client) => {
    const params = await redirectedError(
      authorizeUrl({ clientId: client().id, challenge, extra: { code_challenge_method: 'plain' } }),
    );
    expect(params).toMatchObject({
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256 (plain is not accepted)',
    });
  });

  it('keeps code_verifier required at the token endpoint for a default client', async () => {
    const { code } = await obtainCode(running, strict.id, username);
    const res = await redeem(running, strict, code, undefined);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'Missing parameter: `code_verifier`',
    });
  });

  it('will not set require_pkce=false on a public client (400), through the admin API', async () => {
    const spa = await createClient(running, {
      type: 'public',
      grantTypes: ['authorization_code'],
    });
    const res = await fetch(`${running.url}/api/v1/admin/clients/${spa.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ require_pkce: false }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toMatch(
      /require_pkce must be true for a public client/,
    );
    // Still required: a request without code_challenge is refused.
    const params = await redirectedError(
      authorizeUrl({ clientId: spa.id, challenge, omit: withoutPkce }),
    );
    expect(params.error_description).toBe('code_challenge is required (PKCE, RFC 7636)');
  });
});

describe('the token endpoint for a PKCE-exempt client', () => {
  it('checks the code_verifier format when one is sent', async () => {
    const { code } = await obtainCode(running, legacy.id, username, { withoutPkce: true });
    const res = await post(
      running,
      '/oauth2/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: 'x' },
      { basic: [legacy.id, legacy.secret] },
    );
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'Invalid parameter: `code_verifier`',
    });
  });
});
