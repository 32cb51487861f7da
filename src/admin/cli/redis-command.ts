import type { RedisConnection } from '../../redis/redis-connection';
import { readRedisSettings, settingsProblems } from '../../redis/redis-settings';
import type { RedisCliCommand } from './redis-cli-args';

/** Thrown after the report is printed: the command failed, but its output is still JSON. */
export class RedisCheckFailed extends Error {
  constructor(
    readonly report: unknown,
    problems: readonly string[],
  ) {
    super(`Redis settings: ${problems.join('; ')}`);
  }
}

/** Runs `redis check`: the settings as JSON; RedisCheckFailed when any is wrong. */
export async function runRedisCommand(
  auth: RedisConnection,
  command: RedisCliCommand,
): Promise<unknown> {
  const settings = await readRedisSettings(auth);
  const problems = settingsProblems(settings, command.requirements);
  const report = { ...settings, requirements: command.requirements, problems };
  if (problems.length > 0) throw new RedisCheckFailed(report, problems);
  return report;
}
