import Redis from 'ioredis';
import { DurableWriter } from '../../../src/redis/durable-writer';
import { keys } from '../../../src/redis/keys';
import { RedisUnavailableException } from '../../../src/redis/redis-unavailable';
import { digestToken } from '../../../src/tokens/token-crypto';
import { RefreshTokenReusedError } from '../../../src/tokens/token.errors';
import type { IssueOptions, RefreshingClient, TokenSubject } from '../../../src/tokens/token.types';
import { useTopology } from '../../support/redis-topology';
import { eventually } from '../../support/test-app';
import { registerClient, registerUser, startTokens, TokensHarness } from './tokens-harness';

const subject: TokenSubject = { clientId: 'app', userId: 'u1', scope: ['openid'] };
/** The client is registered by each suite; the generation is filled in then. */
let app: RefreshingClient = { id: 'app', generation: 'unregistered', scopes: ['openid'] };
let opts: IssueOptions;
/** WAIT commands the master has run so far (INFO commandstats). */
async function waitCalls(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(/^cmdstat_wait:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
}

/** Until the writer can confirm durable writes again (after a shortfall's hold or a probe). */
async function durable(h: TokensHarness): Promise<void> {
  const writer = h.moduleRef.get(DurableWriter);
  await eventually(
    async () => {
      await writer.durabilityMonitor.probe();
      return writer.durability().satisfiable;
    },
    15_000,
    'durable writes satisfiable',
  );
}

function useClient(h: () => TokensHarness): void {
  beforeAll(async () => {
    app = await registerClient(h().redis, 'app', ['openid']);
    await registerUser(h().redis, 'u1');
    opts = {
      grantType: 'authorization_code',
      withRefreshToken: true,
      accessTtlSeconds: 900,
      refreshTtlSeconds: 604800,
      clientGeneration: app.generation,
    };
  });
}

describe('durable writes against a standalone node without replicas', () => {
  const topology = useTopology({ mode: 'standalone' });
  let h: TokensHarness;
  beforeAll(async () => {
    h = await startTokens({
      ...topology().env(),
      REDIS_WRITE_REPLICAS: '1',
      REDIS_WRITE_TIMEOUT_MS: '100',
    });
  });
  afterAll(() => h?.close());
  useClient(() => h);

  it('fails every token write with RedisUnavailableException (503) and counts it', async () => {
    const before = await h.metric('durableWriteFailures');
    const issuing = h.tokens.issue(subject, opts);
    await expect(issuing).rejects.toThrow(RedisUnavailableException);
    await expect(issuing).rejects.toMatchObject({ status: 503 });
    await expect(h.tokens.revoke('whatever', 'app')).rejects.toThrow(RedisUnavailableException);
    await expect(
      h.tokens.saveAuthorizationCode(
        {
          ...subject,
          redirectUri: 'https://a/cb',
          codeChallenge: 'c'.repeat(43),
          codeChallengeMethod: 'S256',
        },
        600,
      ),
    ).rejects.toThrow(RedisUnavailableException);
    expect(await h.metric('durableWriteFailures')).toBe(before + 3);
  });

  it('keeps reads on the main connection working', async () => {
    await expect(h.tokens.introspect('unknown')).resolves.toBeNull();
  });
});

describe('durable writes against a Sentinel topology with two replicas', () => {
  const topology = useTopology({ mode: 'sentinel', replicas: 2 });
  let h: TokensHarness;
  beforeAll(async () => {
    h = await startTokens({
      ...topology().env(),
      REDIS_WRITE_REPLICAS: '2',
      REDIS_WRITE_TIMEOUT_MS: '2000',
    });
  });
  afterAll(() => h?.close());
  useClient(() => h);
  beforeEach(() => durable(h));

  it('acknowledges a write only once both replicas hold it', async () => {
    const issued = await h.tokens.issue(subject, opts);
    const rotated = await h.tokens.rotateRefreshToken(issued.refreshToken!, app, opts);
    const replicas = topology().dataNodes.slice(1);
    for (const node of replicas) {
      const replica = new Redis({ host: '127.0.0.1', port: node.port, lazyConnect: true });
      try {
        await replica.connect();
        // No polling: WAIT returned, so the replica must already hold both writes.
        expect(await replica.exists(keys.accessToken(digestToken(rotated.accessToken)))).toBe(1);
        expect(
          await replica.hget(keys.refreshToken(digestToken(issued.refreshToken!)), 'rotated'),
        ).toBe('1');
      } finally {
        replica.disconnect();
      }
    }
    expect(await h.tokens.introspect(rotated.accessToken)).not.toBeNull();
  });

  it('answers 503 while a replica cannot acknowledge, and recovers when it can', async () => {
    const [, frozen] = topology().dataNodes;
    topology().pauseNode(frozen.port);
    try {
      await expect(h.tokens.issue(subject, opts)).rejects.toThrow(RedisUnavailableException);
    } finally {
      topology().resumeNode(frozen.port);
    }
    await durable(h);
    await expect(h.tokens.issue(subject, opts)).resolves.toBeDefined();
  });

  it('lets the client retry a rotation whose durable write fell short, without revoking the family', async () => {
    const issued = await h.tokens.issue(subject, opts);
    const [, frozen] = topology().dataNodes;
    topology().pauseNode(frozen.port);
    try {
      await expect(h.tokens.rotateRefreshToken(issued.refreshToken!, app, opts)).rejects.toThrow(
        RedisUnavailableException,
      );
    } finally {
      topology().resumeNode(frozen.port);
    }
    await durable(h);
    const retried = h.tokens.rotateRefreshToken(issued.refreshToken!, app, opts);
    await expect(retried).resolves.toMatchObject({ scope: ['openid'] });
    expect(await h.tokens.introspect((await retried).accessToken)).not.toBeNull();
    expect(await h.tokens.introspect(issued.accessToken)).not.toBeNull();
    // The retried token is now rotated for real: presenting it again is reuse.
    await expect(h.tokens.rotateRefreshToken(issued.refreshToken!, app, opts)).rejects.toThrow(
      RefreshTokenReusedError,
    );
  });
});

describe('group commit and fail-fast of durable writes (two replicas, both required)', () => {
  const topology = useTopology({ mode: 'sentinel', replicas: 2 });
  let h: TokensHarness;
  beforeAll(async () => {
    h = await startTokens({
      ...topology().env(),
      REDIS_WRITE_REPLICAS: '2',
      REDIS_WRITE_TIMEOUT_MS: '1000',
    });
  });
  afterAll(() => h?.close());
  useClient(() => h);
  beforeEach(() => durable(h));

  it('covers concurrent writes with far fewer WAITs than writes, each confirmed on both replicas', async () => {
    const before = await waitCalls(h.redis);
    const issued = await Promise.all(
      Array.from({ length: 64 }, () => h.tokens.issue(subject, opts)),
    );
    const waits = (await waitCalls(h.redis)) - before;
    process.stdout.write(`group commit: 64 concurrent token writes covered by ${waits} WAITs\n`);
    expect(waits).toBeGreaterThan(0);
    expect(waits).toBeLessThanOrEqual(64 / 4);
    const replica = new Redis({ port: topology().dataNodes[2].port, lazyConnect: true });
    try {
      await replica.connect();
      for (const t of issued) {
        expect(await replica.exists(keys.accessToken(digestToken(t.accessToken)))).toBe(1);
      }
    } finally {
      replica.disconnect();
    }
  });

  it('refuses writes at once, without a WAIT, while a replica is frozen, instead of one WAIT timeout each', async () => {
    const [, frozen] = topology().dataNodes;
    topology().pauseNode(frozen.port);
    try {
      // The first write waits for its WAIT and learns the shortfall; the next ones are refused.
      await expect(h.tokens.issue(subject, opts)).rejects.toThrow(RedisUnavailableException);
      const before = await waitCalls(h.redis);
      const refusedBefore = await h.metric('durableWriteRefusals');
      for (let i = 0; i < 10; i++) {
        await expect(h.tokens.issue(subject, opts)).rejects.toMatchObject({ status: 503 });
      }
      expect(await waitCalls(h.redis)).toBe(before);
      expect(await h.metric('durableWriteRefusals')).toBeGreaterThanOrEqual(refusedBefore + 10);
      const report = h.moduleRef.get(DurableWriter).durability();
      expect(report).toMatchObject({ required: 2, satisfiable: false });
    } finally {
      topology().resumeNode(frozen.port);
    }
    await durable(h);
    await expect(h.tokens.issue(subject, opts)).resolves.toBeDefined();
  });

  it('reports too few connected replicas and refuses writes until the replica is back', async () => {
    const [, gone] = topology().dataNodes;
    await topology().stopNode(gone.port, 'SIGKILL');
    const writer = h.moduleRef.get(DurableWriter);
    try {
      await eventually(
        async () => {
          await writer.durabilityMonitor.probe();
          return writer.durability().connected_replicas === 1;
        },
        15_000,
        'the master to drop the killed replica',
      );
      expect(writer.durability()).toMatchObject({
        required: 2,
        connected_replicas: 1,
        satisfiable: false,
      });
      const before = await waitCalls(h.redis);
      await expect(h.tokens.issue(subject, opts)).rejects.toThrow(RedisUnavailableException);
      expect(await waitCalls(h.redis)).toBe(before);
    } finally {
      await topology().restartNode(gone.port);
      await topology().waitReplicaInSync(gone);
    }
    await durable(h);
    expect(writer.durability()).toMatchObject({ connected_replicas: 2, satisfiable: true });
    await expect(h.tokens.issue(subject, opts)).resolves.toBeDefined();
  });
});
