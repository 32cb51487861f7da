import { parseArgs } from 'node:util';
import type { SettingsRequirements } from '../../redis/redis-settings';
import { UsageError } from './usage-error';

export const REDIS_USAGE = `usage: tollgate-cli redis check [--min-replicas <n>] [--require-aof]

Checks the Redis master tollgate writes to (the same settings as the server):
role master, maxmemory-policy noeviction, and with the options at least <n> connected
replicas plus min-replicas-to-write on, and AOF on. Prints the settings as JSON; exit 1
when one is wrong (the Helm chart's pre-install/pre-upgrade hook runs this).`;

export interface RedisCliCommand {
  readonly group: 'redis';
  readonly kind: 'check';
  readonly requirements: SettingsRequirements;
}

/** Parses `redis check [options]` (argv without node and the script). */
export function parseRedisArgs(argv: readonly string[]): RedisCliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'min-replicas': { type: 'string' },
        'require-aof': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message, REDIS_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('', REDIS_USAGE);
  const [, command, ...rest] = positionals;
  if (command !== 'check')
    throw new UsageError(`unknown redis command ${JSON.stringify(command ?? '')}`, REDIS_USAGE);
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`, REDIS_USAGE);
  const min = values['min-replicas'] ?? '0';
  if (!/^\d+$/.test(min))
    throw new UsageError('--min-replicas must be a whole number', REDIS_USAGE);
  return {
    group: 'redis',
    kind: 'check',
    requirements: { minReplicas: Number(min), requireAof: values['require-aof'] === true },
  };
}
