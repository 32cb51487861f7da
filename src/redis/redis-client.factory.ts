import Redis from 'ioredis';
import type { RedisConfig } from '../config/app-config';
import { ConnectionObserver, RedisConnection } from './redis-connection';
import { buildRedisOptions } from './redis-options';
import { defineScripts, readScripts } from './script-loader';

/** `subscriber`: the pub/sub connection (DB 0's server; pub/sub ignores the DB number). */
export type ClientName = 'auth' | 'cache' | 'subscriber';

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
  const db = name === 'cache' ? config.cacheDb : config.authDb;
  if (name === 'subscriber') {
    // RedisSubscriber subscribes again on every `ready` itself, so it knows when it is live.
    const client = new Redis({ ...buildRedisOptions(config, db, name), autoResubscribe: false });
    return new RedisConnection(name, client, config.startupMaxAttempts, observer);
  }
  // The cache may live on its own server (RedisConfig.cacheServer); everything else is shared.
  const target =
    name === 'cache' && config.cacheServer ? { ...config, ...config.cacheServer } : config;
  const client = new Redis(buildRedisOptions(target, db, name));
  scripts ??= readScripts();
  defineScripts(client, scripts);
  return new RedisConnection(name, client, config.startupMaxAttempts, observer);
}
