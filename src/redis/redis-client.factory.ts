import Redis from 'ioredis';
import type { RedisConfig } from '../config/app-config';
import type { MasterWatch } from './master-watch';
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
  watch?: MasterWatch,
): RedisConnection {
  const db = name === 'cache' ? config.cacheDb : config.authDb;
  if (name === 'subscriber') {
    // RedisSubscriber subscribes again on every `ready` itself, so it knows when it is live.
    const options = buildRedisOptions(config, db, name, watch);
    const client = new Redis({ ...options, autoResubscribe: false });
    watch?.track(client);
    return new RedisConnection(name, client, config.startupMaxAttempts, observer);
  }
  // The cache may live on its own server (RedisConfig.cacheServer); everything else is shared.
  // The master watch follows the auth master's Sentinels only: a cache on its own server is
  // left to ioredis's own Sentinel handling.
  const ownServer = name === 'cache' && config.cacheServer !== undefined;
  const target = ownServer ? { ...config, ...config.cacheServer } : config;
  const clientWatch = ownServer ? undefined : watch;
  const client = new Redis(buildRedisOptions(target, db, name, clientWatch));
  clientWatch?.track(client);
  scripts ??= readScripts();
  defineScripts(client, scripts);
  return new RedisConnection(name, client, config.startupMaxAttempts, observer);
}
