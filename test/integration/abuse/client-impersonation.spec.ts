/**
 * Client impersonation at the token, introspection and revocation endpoints: client A (the
 * attacker, with valid credentials of its own) holds client B's tokens. A learns nothing
 * about them (RFC 7662 section 4: `{"active":false}`, docs/api.md), cannot revoke them (RFC
 * 7009 section 2.1: 200, token left alone), cannot refresh with them, and none of its
 * attempts revokes B's family. Claiming to be B needs B's credentials. The basic cases
 * (A introspects or revokes B's access token) are in e2e/oauth-introspect-revoke.e2e.spec.ts.
 */
import {
  createClient,
  expectError,
  mintCode,
  pkcePair,
  post,
  REDIRECT_URI,
  startReadyApp,
} from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';

interface Tokens {
  access_token: string;
  refresh_token: string;
}
type Client = { id: string; secret: string };

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let victim: Client;
let attacker: Client;
let publicAttacker: Client;
let bodyAuthAttacker: Client;

beforeAll(async () => {
  running = await startReadyApp(topology().env());
  victim = await createClient(running);
  attacker = await createClient(running);
  publicAttacker = await createClient(running, {
    type: 'public',
    grantTypes: ['authorization_code', 'refresh_token'],
  });
  bodyAuthAttacker = await createClient(running, {
    tokenEndpointAuthMethod: 'client_secret_post',
  });
});
afterAll(() => running?.close());

async function redeemFresh(owner: Client): Promise<Tokens & { code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const code = await mintCode(running, owner.id, challenge);
  const res = await post(running, '/oauth2/token', redemption(code, verifier), {
    basic: [owner.id, owner.secret],
  });
  expect(res.status).toBe(200);
  return { ...(res.body as Tokens), code, verifier };
}

const redemption = (code: string, verifier: string) => ({
  grant_type: 'authorization_code',
  code,
  code_verifier: verifier,
  redirect_uri: REDIRECT_URI,
});

const as = (caller: Client) => ({ basic: [caller.id, caller.secret] as const });
const introspect = (caller: Client, token: string, hint?: string) =>
  post(
    running,
    '/oauth2/introspect',
    { token, ...(hint ? { token_type_hint: hint } : {}) },
    as(caller),
  );
const revoke = (caller: Client, token: string, hint?: string) =>
  post(
    running,
    '/oauth2/revoke',
    { token, ...(hint ? { token_type_hint: hint } : {}) },
    as(caller),
  );
const refresh = (caller: Client, token: string) =>
  post(running, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: token }, as(caller));

/** B's own view of its tokens: both still active for B, and the refresh token still rotates. */
async function expectIntactForVictim(tokens: Tokens): Promise<void> {
  for (const token of [tokens.access_token, tokens.refresh_token]) {
    expect((await introspect(victim, token)).body).toMatchObject({
      active: true,
      client_id: victim.id,
    });
  }
  const rotated = await refresh(victim, tokens.refresh_token);
  expect(rotated.status).toBe(200);
}

describe("client A against client B's tokens", () => {
  it('introspection tells A nothing, with any hint; B still sees them active', async () => {
    const tokens = await redeemFresh(victim);
    for (const token of [tokens.access_token, tokens.refresh_token]) {
      for (const hint of [undefined, 'access_token', 'refresh_token']) {
        const res = await introspect(attacker, token, hint);
        expect({ status: res.status, body: res.body }).toEqual({
          status: 200,
          body: { active: false },
        });
      }
    }
    await expectIntactForVictim(tokens);
  });

  it('revocation answers A 200 and revokes nothing, for either token and any hint', async () => {
    const tokens = await redeemFresh(victim);
    for (const token of [tokens.refresh_token, tokens.access_token]) {
      for (const hint of [undefined, 'access_token', 'refresh_token']) {
        const res = await revoke(attacker, token, hint);
        expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: '' });
      }
    }
    await expectIntactForVictim(tokens);
  });

  it("A's refresh with B's refresh token is invalid_grant, and B's family lives on", async () => {
    const tokens = await redeemFresh(victim);
    expectError(
      await refresh(attacker, tokens.refresh_token),
      400,
      'invalid_grant',
      'Invalid grant: refresh token is invalid',
    );
    await expectIntactForVictim(tokens);
  });

  it("A presenting B's already-rotated refresh token is not a reuse: B's family lives on", async () => {
    const tokens = await redeemFresh(victim);
    const rotated = (await refresh(victim, tokens.refresh_token)).body as Tokens;
    expect((await refresh(attacker, tokens.refresh_token)).status).toBe(400);
    // Reuse detection belongs to the owner's presentations only.
    expect((await introspect(victim, rotated.access_token)).body).toMatchObject({ active: true });
    expect((await refresh(victim, rotated.refresh_token)).status).toBe(200);
  });

  it('a public client gets nothing either: refresh, revocation', async () => {
    const tokens = await redeemFresh(victim);
    const res = await post(running, '/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: publicAttacker.id,
    });
    expectError(res, 400, 'invalid_grant', 'Invalid grant: refresh token is invalid');
    const revoked = await post(running, '/oauth2/revoke', {
      token: tokens.refresh_token,
      client_id: publicAttacker.id,
    });
    expect(revoked.status).toBe(200);
    await expectIntactForVictim(tokens);
  });
});

describe('claiming to be client B', () => {
  it("is refused without B's secret, however the claim is made, and B's tokens live on", async () => {
    const tokens = await redeemFresh(victim);
    const form = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
    // A's Basic credentials with B's id in the body.
    expectError(
      await post(running, '/oauth2/token', { ...form, client_id: victim.id }, as(attacker)),
      400,
      'invalid_request',
      'Invalid request: `client_id` does not match the Basic credentials',
    );
    // B's id with A's secret, in Basic and in the body.
    expect(
      (await post(running, '/oauth2/token', form, { basic: [victim.id, attacker.secret] })).body,
    ).toMatchObject({ error: 'invalid_client' });
    expect(
      (
        await post(running, '/oauth2/token', {
          ...form,
          client_id: victim.id,
          client_secret: bodyAuthAttacker.secret,
        })
      ).body,
    ).toMatchObject({ error: 'invalid_client' });
    // B's id alone, as if B were public.
    for (const path of ['/oauth2/token', '/oauth2/revoke']) {
      const res = await post(running, path, {
        ...form,
        token: tokens.refresh_token,
        client_id: victim.id,
      });
      expect(res.body).toMatchObject({ error: 'invalid_client' });
    }
    // Introspection as B without B's secret: 401.
    const asVictim = await post(
      running,
      '/oauth2/introspect',
      { token: tokens.access_token },
      { basic: [victim.id, 'x'.repeat(43)] },
    );
    expect(asVictim.status).toBe(401);
    await expectIntactForVictim(tokens);
  });
});

describe("B's authorization code in A's hands (RFC 6749 section 4.1.2, by design)", () => {
  it('an unused code: A gets invalid_grant and the code is spent, so nobody gets tokens', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(running, victim.id, challenge);
    const stolen = await post(running, '/oauth2/token', redemption(code, verifier), as(attacker));
    expect(stolen.body).toMatchObject({ error: 'invalid_grant' });
    const late = await post(running, '/oauth2/token', redemption(code, verifier), as(victim));
    expect(late.body).toMatchObject({ error: 'invalid_grant' });
  });

  it("a redeemed code: A's presentation is a replay and revokes what the code gave B", async () => {
    // A code that reached anyone but B leaked: RFC 6749 section 4.1.2 asks for the tokens it
    // gave to be revoked, whoever presents it again.
    const tokens = await redeemFresh(victim);
    const replay = await post(
      running,
      '/oauth2/token',
      redemption(tokens.code, tokens.verifier),
      as(attacker),
    );
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    expect((await introspect(victim, tokens.access_token)).body).toEqual({ active: false });
    expect((await refresh(victim, tokens.refresh_token)).status).toBe(400);
  });
});
