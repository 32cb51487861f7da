/**
 * A rotation answered 503 must not kill the client's refresh token, even when the master dies
 * between running the rotation and confirming it (issue 12's chaos runs lost 6 tokens with
 * REDIS_WRITE_REPLICAS=2 this way). The script ran on the master and streamed to the
 * replicas; the master died before the WAIT reply, so the request failed, and the undo could
 * not run either: the promoted replica held the rotation, and the client's retry with the same
 * refresh token was taken for reuse and revoked the family. The undo is now kept and applied
 * as soon as Redis answers again, and a retry on this instance waits for it.
 *
 * The replicas are frozen while the rotation runs, so the master streams it into their socket
 * buffers and its WAIT cannot return; then the master is killed and the replicas resumed: they
 * read the rotation, and Sentinel promotes one of them.
 */
import { keys } from '../../../src/redis/keys';
import { RedisUnavailableException } from '../../../src/redis/redis-unavailable';
import { digestToken } from '../../../src/tokens/token-crypto';
import type { IssueOptions, RefreshingClient, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import { eventually } from '../../support/test-app';
import { registerClient, registerUser, startTokens, TokensHarness } from './tokens-harness';

const subject: TokenSubject = { clientId: 'app', userId: 'u1', scope: ['openid'] };

describe('a rotation answered 503 when the master dies before confirming it', () => {
  const topology = useTopology({ mode: 'sentinel', replicas: 2 }, 90_000);
  let h: TokensHarness;
  let client: RefreshingClient;
  let opts: IssueOptions;

  beforeAll(async () => {
    h = await startTokens({
      ...topology().env(),
      REDIS_WRITE_REPLICAS: '1',
      // Long enough that the WAIT is still pending when the master is killed.
      REDIS_WRITE_TIMEOUT_MS: '10000',
    });
    client = await registerClient(h.redis, 'app', ['openid']);
    await registerUser(h.redis, 'u1');
    opts = {
      grantType: 'authorization_code',
      withRefreshToken: true,
      accessTtlSeconds: 900,
      refreshTtlSeconds: 604800,
      clientGeneration: client.generation,
    };
  }, 90_000);
  afterAll(() => h?.close());

  it('undoes the rotation on the promoted replica, so the retry rotates instead of revoking the family', async () => {
    const issued = await h.tokens.issue(subject, opts);
    const master = await topology().currentMaster();
    const replicas = topology().dataNodes.filter((n) => n.port !== master.port && n.alive());
    for (const r of replicas) topology().pauseNode(r.port);
    const presented = keys.refreshToken(digestToken(issued.refreshToken!));
    let rotation: Promise<unknown>;
    try {
      rotation = h.tokens.rotateRefreshToken(issued.refreshToken!, client, opts);
      // The script has run on the master (the WAIT behind it cannot return).
      await eventually(async () => (await h.redis.hget(presented, 'rotated')) === '1', 5_000);
      await topology().stopNode(master.port, 'SIGKILL');
      await expect(rotation).rejects.toThrow(RedisUnavailableException);
    } finally {
      for (const r of replicas) topology().resumeNode(r.port);
    }
    await topology().waitForFailover(master, 30_000);
    // The kept undo runs on the promoted replica by itself, without waiting for the retry.
    await eventually(async () => (await h.redis.hget(presented, 'rotated')) === '0', 15_000);

    // The client retries the refresh token it holds, as RFC 6749 lets it after a 503; any
    // answer but 503 ends the retries (reuse detection would revoke the family at once).
    let retried: Awaited<ReturnType<TokensHarness['tokens']['rotateRefreshToken']>> | undefined;
    const deadline = Date.now() + 30_000;
    while (!retried && Date.now() < deadline) {
      try {
        retried = await h.tokens.rotateRefreshToken(issued.refreshToken!, client, opts);
      } catch (err) {
        if (!(err instanceof RedisUnavailableException)) throw err;
        await new Promise((r) => setTimeout(r, 100)); // still failing over
      }
    }
    expect(retried!.scope).toEqual(['openid']);
    // The family was not revoked: the first access token and the new one are both active.
    expect(await h.tokens.introspect(issued.accessToken)).not.toBeNull();
    expect(await h.tokens.introspect(retried!.accessToken)).not.toBeNull();
  }, 90_000);
});
