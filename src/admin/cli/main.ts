import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientsService } from '../../clients/clients.service';
import { AppConfig } from '../../config/app-config';
import { ConfigValidationError, loadConfig, readEnvFile } from '../../config/load-config';
import type { RedisConnection } from '../../redis/redis-connection';
import { REDIS_AUTH_CONNECTION } from '../../redis/redis.tokens';
import { ClientAdmin } from '../client-admin.service';
import { UsersService } from '../../users/users.service';
import { UserAdmin } from '../user-admin.service';
import { CliCommand, parseCliArgs, USAGE, UsageError } from './cli-args';
import { CliModule } from './cli.module';
import { runClientsCommand } from './clients-command';
import type { RedisCliCommand } from './redis-cli-args';
import { RedisCheckFailed, runRedisCommand } from './redis-command';
import type { UsersCliCommand } from './users-cli-args';
import { runUsersCommand } from './users-command';
import { waitForRedis } from './wait-for-redis';

/** How long the CLI waits for Redis before giving up (the server itself never gives up). */
const REDIS_WAIT_MS = 10_000;

/**
 * `npm run cli -- clients|users <command> ...`: administers clients and users straight in Redis, with the
 * same configuration (.env below the environment) as the server. docs/admin.md.
 */
async function main(argv: readonly string[]): Promise<number> {
  let command: CliCommand | UsersCliCommand | RedisCliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `${err.message ? `error: ${err.message}\n\n` : ''}${err.usage ?? USAGE}\n`,
    );
    return 2;
  }
  const config = cliConfig();
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  try {
    const auth = app.get<RedisConnection>(REDIS_AUTH_CONNECTION);
    await waitForRedis(auth, REDIS_WAIT_MS);
    const result = await run(app, auth, command, config);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof RedisCheckFailed)
      process.stdout.write(`${JSON.stringify(err.report, null, 2)}\n`);
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

function run(
  app: INestApplicationContext,
  auth: RedisConnection,
  command: CliCommand | UsersCliCommand | RedisCliCommand,
  config: AppConfig,
): Promise<unknown> {
  if (!('group' in command))
    return runClientsCommand(
      app.get(ClientsService),
      app.get(ClientAdmin),
      command,
      config.oauth.scopes,
    );
  if (command.group === 'redis') return runRedisCommand(auth, command);
  return runUsersCommand(app.get(UsersService), app.get(UserAdmin), command, {
    stdin: process.stdin,
    env: process.env,
  });
}

/**
 * Loaded like main.ts does. The bootstrap file is dropped: applying it is the server's
 * start-up job, and a one-off command must not re-apply it as a side effect. The client
 * cache is off: one command reads a client at most once, and without a cache the CLI never
 * opens the pub/sub connection (its writes still announce themselves to the servers).
 */
function cliConfig(): AppConfig {
  const config = loadConfig({ ...readEnvFile(), ...process.env });
  return {
    ...config,
    oauth: { ...config.oauth, clientsBootstrapFile: undefined, clientCacheTtlMs: 0 },
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message =
      err instanceof ConfigValidationError ? err.message : `error: ${(err as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
