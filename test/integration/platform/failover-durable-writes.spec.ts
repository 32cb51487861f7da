/**
 * Durable writes across a kill -9 of the master, with the production reconnect backoff
 * (1 s, 2 s, ...): the app's clients follow the promotion in short steps (master-watch.ts)
 * instead of waiting out the backoff (issue 12: writes resumed 3 s after a kill even when
 * Sentinel promoted at 1.5 s). The figure is printed, not asserted: timing on a shared
 * 2-core machine is not a speed test.
 */
import Redis from 'ioredis';
import { parseInfo } from '../../../src/dev/redis-process';
import type { IssueOptions, TokenSubject } from '../../../src/tokens/token.types';
import { registerClient, startTokens, TokensHarness } from '../tokens/tokens-harness';
import { useTopology } from '../../support/redis-topology';

const subject: TokenSubject = { clientId: 'app', scope: ['openid'] };

async function roleOf(port: number): Promise<string | undefined> {
  const client = new Redis({
    port,
    lazyConnect: true,
    connectTimeout: 200,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    return parseInfo(await client.info('replication')).role;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

describe('durable writes across a Sentinel failover (REDIS_WRITE_REPLICAS=1)', () => {
  const topology = useTopology({ mode: 'sentinel', replicas: 2 });
  let h: TokensHarness;
  let opts: IssueOptions;
  beforeAll(async () => {
    h = await startTokens({
      ...topology().env(),
      REDIS_WRITE_REPLICAS: '1',
      REDIS_WRITE_TIMEOUT_MS: '500',
      REDIS_RETRY_BASE_MS: '1000',
      REDIS_RETRY_MAX_MS: '15000',
    });
    const app = await registerClient(h.redis, 'app', ['openid']);
    opts = {
      grantType: 'client_credentials',
      withRefreshToken: false,
      accessTtlSeconds: 900,
      refreshTtlSeconds: 0,
      clientGeneration: app.generation,
    };
  });
  afterAll(() => h?.close());

  it('resumes durable writes on the promoted replica after the master is killed', async () => {
    await expect(h.tokens.issue(subject, opts)).resolves.toBeDefined();
    const replicas = topology()
      .dataNodes.slice(1)
      .map((n) => n.port);
    const killedAt = Date.now();
    await topology().killMaster();
    let promotedAt: number | undefined;
    const deadline = killedAt + 30_000;
    const watchPromotion = (async () => {
      while (!promotedAt && Date.now() < deadline) {
        const roles = await Promise.all(replicas.map(roleOf));
        if (roles.includes('master')) promotedAt = Date.now();
        else await new Promise((r) => setTimeout(r, 20));
      }
    })();
    /** Time of the first success of `write` after the kill. */
    const firstSuccess = async (write: () => Promise<unknown>): Promise<number | undefined> => {
      while (Date.now() < deadline) {
        try {
          await write();
          return Date.now();
        } catch {
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      return undefined;
    };
    const [plainAt, durableAt] = await Promise.all([
      firstSuccess(() => h.redis.set('failover:probe', String(Date.now()))),
      firstSuccess(() => h.tokens.issue(subject, opts)),
    ]);
    await watchPromotion;
    expect(promotedAt).toBeDefined();
    expect(plainAt).toBeDefined();
    expect(durableAt).toBeDefined();
    const since = (t: number) =>
      `${t - killedAt} ms after the kill, ${t - promotedAt!} ms after the promotion`;
    process.stdout.write(
      `failover: promoted ${promotedAt! - killedAt} ms after the kill; first plain write ${since(plainAt!)}; ` +
        `first durable write (WAIT 1) ${since(durableAt!)}\n`,
    );
    // Writes keep working afterwards, on the new master.
    for (let i = 0; i < 5; i++) await expect(h.tokens.issue(subject, opts)).resolves.toBeDefined();
  });
});
