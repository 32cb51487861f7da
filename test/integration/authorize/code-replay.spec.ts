import { UsersService } from '../../../src/users/users.service';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { createClient, post } from '../../e2e/support/oauth-fixtures';
import { createUser, obtainCode, redeem, startFlowApp } from './flow-support';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let client: { id: string; secret: string };
let accessOnly: { id: string; secret: string };
let resourceServer: { id: string; secret: string };

beforeAll(async () => {
  running = await startFlowApp(topology().env());
  client = await createClient(running);
  accessOnly = await createClient(running, { grantTypes: ['authorization_code'] });
  resourceServer = await createClient(running, {
    grantTypes: ['client_credentials'],
    resourceServer: true,
  });
});
afterAll(() => running?.close());

const active = async (token: string) =>
  (
    (
      await post(
        running,
        '/oauth2/introspect',
        { token },
        { basic: [resourceServer.id, resourceServer.secret] },
      )
    ).body as { active: boolean }
  ).active;
const refresh = (token: string) =>
  post(
    running,
    '/oauth2/token',
    { grant_type: 'refresh_token', refresh_token: token },
    { basic: [client.id, client.secret] },
  );

describe('authorization code replay (RFC 6749 section 4.1.2)', () => {
  it('refuses the second redemption and revokes the access and refresh tokens of the first', async () => {
    const user = await createUser(running);
    const { code, verifier } = await obtainCode(running, client.id, user.username);
    const first = (await redeem(running, client, code, verifier)).body as Record<string, string>;
    // A rotation later, the family has grown: the replay must take the new pair too.
    const rotated = (await refresh(first.refresh_token)).body as Record<string, string>;
    expect(await active(rotated.access_token)).toBe(true);

    const second = await redeem(running, client, code, verifier);
    expect(second.status).toBe(400);
    expect(second.body).toEqual({
      error: 'invalid_grant',
      error_description:
        'Invalid grant: authorization code was already used; its tokens are revoked',
    });
    for (const token of [first.access_token, rotated.access_token, rotated.refresh_token]) {
      expect(await active(token)).toBe(false);
    }
    expect((await refresh(rotated.refresh_token)).status).toBe(400);
  });

  it('revokes an access token issued without a refresh token too', async () => {
    const user = await createUser(running);
    const { code, verifier } = await obtainCode(running, accessOnly.id, user.username);
    const first = (await redeem(running, accessOnly, code, verifier)).body as Record<
      string,
      string
    >;
    expect(first.refresh_token).toBeUndefined();
    expect(await active(first.access_token)).toBe(true);
    expect((await redeem(running, accessOnly, code, verifier)).status).toBe(400);
    expect(await active(first.access_token)).toBe(false);
  });

  it('gives exactly one success to concurrent redemptions, and a later replay revokes it', async () => {
    const user = await createUser(running);
    const { code, verifier } = await obtainCode(running, client.id, user.username);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => redeem(running, client, code, verifier)),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(3);
    // The losers were replays: the winner's tokens are already revoked.
    const winner = ok[0].body as Record<string, string>;
    expect(await active(winner.access_token)).toBe(false);
    expect((await refresh(winner.refresh_token)).status).toBe(400);
  });
});

describe('the code’s user', () => {
  it('refuses a code whose user was disabled after it was issued', async () => {
    const user = await createUser(running);
    const { code, verifier } = await obtainCode(running, client.id, user.username);
    await running.app.get(UsersService).update(user.id, { disabled: true });
    const res = await redeem(running, client, code, verifier);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid grant: authorization code is invalid',
    });
  });

  it('refuses a code whose user was deleted', async () => {
    const user = await createUser(running);
    const { code, verifier } = await obtainCode(running, client.id, user.username);
    await running.app.get(UsersService).delete(user.id);
    expect((await redeem(running, client, code, verifier)).status).toBe(400);
  });
});
