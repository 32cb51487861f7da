import { RedisSettings, settingsProblems } from '../../../src/redis/redis-settings';

const production: RedisSettings = {
  role: 'master',
  maxmemoryPolicy: 'noeviction',
  aofEnabled: true,
  connectedReplicas: 2,
  minReplicasGoodReplicas: 2,
};
const strict = { minReplicas: 2, requireAof: true };

describe('settingsProblems', () => {
  it('accepts a master with noeviction, AOF, enough replicas and min-replicas-to-write', () => {
    expect(settingsProblems(production, strict)).toEqual([]);
  });

  it('names every wrong setting at once', () => {
    const problems = settingsProblems(
      {
        role: 'slave',
        maxmemoryPolicy: 'allkeys-lru',
        aofEnabled: false,
        connectedReplicas: 1,
        minReplicasGoodReplicas: null,
      },
      strict,
    );
    expect(problems).toEqual([
      'role is slave, expected master',
      'maxmemory-policy is allkeys-lru, expected noeviction',
      'appendonly is off, expected yes (AOF)',
      '1 connected replicas, expected at least 2',
      'min-replicas-to-write is off, expected at least 1',
    ]);
  });

  it('asks nothing about AOF and replicas when not required (a dev standalone Redis)', () => {
    const dev = { ...production, aofEnabled: false, connectedReplicas: 0 };
    expect(
      settingsProblems(
        { ...dev, minReplicasGoodReplicas: null },
        { minReplicas: 0, requireAof: false },
      ),
    ).toEqual([]);
  });
});
