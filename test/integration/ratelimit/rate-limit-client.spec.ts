/**
 * Per-client limits over HTTP against real Redis: token, introspection and revocation share
 * one budget per client; over it 429 with an RFC 6749 body, Retry-After and RateLimit
 * headers, and nothing issued, rotated or revoked; other clients are unaffected.
 */
import { TokensService } from '../../../src/tokens/tokens.service';
import {
  createClient,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
  startReadyApp,
} from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { CC, decisions, expectLimited, LIMITED, LIMITS, remainingOf } from './rate-limit-support';

describe('per-client limits on the OAuth endpoints', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;

  beforeAll(async () => {
    running = await startReadyApp({ ...topology().env(), ...LIMITS });
  });
  afterAll(() => running?.close());

  it('issues exactly N tokens per window, then answers 429 and issues nothing', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    for (let i = 0; i < 3; i++) {
      expect((await post(running, '/oauth2/token', CC, basic)).status).toBe(200);
    }
    const issued = (await running.app.get(TokensService).stats())['issued:client_credentials'];
    const refused = await post(running, '/oauth2/token', CC, basic);
    expectLimited(refused, 'client', 'q=3;w=60');
    expect(refused.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(LIMITED),
    });
    // 3 per 60 s: the next request is allowed 20 s after the burst.
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect((await running.app.get(TokensService).stats())['issued:client_credentials']).toBe(
      issued,
    );
  });

  it("keeps one budget per client: another client is unaffected by one client's limit", async () => {
    const a = await createClient(running);
    const b = await createClient(running);
    const basicA = { basic: [a.id, a.secret] as const };
    const basicB = { basic: [b.id, b.secret] as const };
    for (let i = 0; i < 3; i++) await post(running, '/oauth2/token', CC, basicA);
    expect((await post(running, '/oauth2/token', CC, basicA)).status).toBe(429);
    const token = await post(running, '/oauth2/token', CC, basicB);
    expect(token.status).toBe(200);
    // The budget is shared by the token, introspection and revocation endpoints.
    expectLimited(
      await post(running, '/oauth2/introspect', { token: 'x' }, basicA),
      'client',
      'q=3;w=60',
    );
    expectLimited(
      await post(running, '/oauth2/revoke', { token: 'x' }, basicA),
      'client',
      'q=3;w=60',
    );
    expect((await post(running, '/oauth2/introspect', { token: 'x' }, basicB)).status).toBe(200);
  });

  it('sends RateLimit-Policy and RateLimit on allowed introspections', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const first = await post(running, '/oauth2/introspect', { token: 'x' }, basic);
    const second = await post(running, '/oauth2/introspect', { token: 'x' }, basic);
    expect(first.body).toEqual({ active: false });
    expect(first.headers.get('ratelimit-policy')).toBe('"client";q=3;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"client";r=2;t=(19|20)$/);
    expect(remainingOf(second)).toBe(1);
  });

  it('refuses a refresh over the limit without rotating the refresh token', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(running, client.id, challenge);
    const grant = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
    const issued = await post(
      running,
      '/oauth2/token',
      { ...grant, code_verifier: verifier },
      basic,
    );
    const refreshToken = (issued.body as { refresh_token: string }).refresh_token;
    for (let i = 0; i < 2; i++) await post(running, '/oauth2/token', CC, basic);
    const refused = await post(
      running,
      '/oauth2/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      basic,
    );
    expectLimited(refused, 'client', 'q=3;w=60');
    // Not rotated: still active (looked up without charging the client).
    const info = await running.app.get(TokensService).introspect(refreshToken);
    expect(info?.kind).toBe('refresh_token');
  });

  it('does not revoke a token when the revocation is refused', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const access = (
      (await post(running, '/oauth2/token', CC, basic)).body as { access_token: string }
    ).access_token;
    for (let i = 0; i < 2; i++) await post(running, '/oauth2/token', CC, basic);
    expect((await post(running, '/oauth2/revoke', { token: access }, basic)).status).toBe(429);
    expect(await running.app.get(TokensService).introspect(access)).not.toBeNull();
  });

  it('counts allowed and limited per-client decisions', async () => {
    const client = await createClient(running);
    const basic = { basic: [client.id, client.secret] as const };
    const [allowed, limited] = [
      await decisions('client', 'allowed'),
      await decisions('client', 'limited'),
    ];
    await post(running, '/oauth2/token', CC, basic);
    await post(running, '/oauth2/introspect', { token: 'x' }, basic);
    await post(running, '/oauth2/revoke', { token: 'x' }, basic);
    await post(running, '/oauth2/token', CC, basic);
    expect(await decisions('client', 'allowed')).toBe(allowed + 3);
    expect(await decisions('client', 'limited')).toBe(limited + 1);
  });
});
