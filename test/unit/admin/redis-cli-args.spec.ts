import { parseCliArgs, UsageError } from '../../../src/admin/cli/cli-args';
import { REDIS_USAGE } from '../../../src/admin/cli/redis-cli-args';

describe('CLI arguments: redis check', () => {
  it('parses the requirements, defaulting to no replicas and no AOF', () => {
    expect(parseCliArgs(['redis', 'check'])).toEqual({
      group: 'redis',
      kind: 'check',
      requirements: { minReplicas: 0, requireAof: false },
    });
    expect(parseCliArgs(['redis', 'check', '--min-replicas', '2', '--require-aof'])).toEqual({
      group: 'redis',
      kind: 'check',
      requirements: { minReplicas: 2, requireAof: true },
    });
  });

  it('refuses an unknown command, a non-numeric replica count and extra arguments', () => {
    for (const argv of [
      ['redis', 'fix'],
      ['redis', 'check', '--min-replicas', 'two'],
      ['redis', 'check', 'now'],
      ['redis', 'check', '--force'],
    ]) {
      expect(() => parseCliArgs(argv)).toThrow(UsageError);
    }
    try {
      parseCliArgs(['redis']);
    } catch (err) {
      expect((err as UsageError).usage).toBe(REDIS_USAGE);
    }
  });

  it('parses clients apply --file and needs the file', () => {
    expect(parseCliArgs(['clients', 'apply', '--file', '/etc/c.json'])).toEqual({
      kind: 'apply',
      file: '/etc/c.json',
    });
    expect(() => parseCliArgs(['clients', 'apply'])).toThrow('clients apply needs --file');
  });
});
