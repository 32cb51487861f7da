/**
 * Test-side entry to the real-Redis harness. The implementation lives in src/dev so that
 * `npm run start:local` runs exactly the same topology code as the tests; this file only adds
 * the jest lifecycle, so a suite can never forget to stop its processes.
 */
import { RedisTopology, TopologyOptions } from '../../src/dev/redis-topology';

export * from '../../src/dev/redis-topology';

/**
 * Starts a topology in beforeAll and always stops it in afterAll. Returns a getter because
 * the topology exists only once beforeAll has run; call it inside tests and hooks.
 */
export function useTopology(opts: TopologyOptions, hookTimeoutMs = 60_000): () => RedisTopology {
  let topology: RedisTopology | undefined;
  beforeAll(async () => {
    topology = await RedisTopology.start(opts);
  }, hookTimeoutMs);
  afterAll(async () => {
    await topology?.stop();
  }, hookTimeoutMs);
  return () => {
    if (!topology) throw new Error('Redis topology not started: call the getter inside a test');
    return topology;
  };
}
