import Redis from 'ioredis';
import type { RedisConfig } from '../config/app-config';
import { ConnectionObserver, RedisConnection } from './redis-connection';
import { buildRedisOptions } from './redis-options';
import { defineScripts, readScripts } from './script-loader';

export type ClientName = 'auth' | 'cache';

/**
 * The one place `new Redis()` is called for the app's clients (the harness and the
 * CLI reuse it). Scripts are read once per process and defined on every client.
 */
let scripts: ReturnType<typeof readScripts> | undefined;

export function createRedisConnection(
  config: RedisConfig,
  name: ClientName,
  observer?: ConnectionObserver,
): RedisConnection {
  const db = name === 'auth' ? config.authDb : config.cacheDb;
  const client = new Redis(buildRedisOptions(config, db, name));
  scripts ??= readScripts();
  defineScripts(client, scripts);
  return new RedisConnection(name, client, config.startupMaxAttempts, observer);
}
