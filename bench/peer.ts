/**
 * The peer: node-oidc-provider (bench/peer-oidc-provider/, its own package.json and lock
 * file, no dependency of tollgate). Installed with `npm ci` the first time a benchmark needs
 * it, then started like tollgate's server, on the same Redis.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forkServer, ServerProcess } from './server-process';

const PEER_DIR = join(__dirname, 'peer-oidc-provider');

/** Installs the peer's exact locked versions unless they are there already. */
function ensureInstalled(): void {
  if (existsSync(join(PEER_DIR, 'node_modules', 'oidc-provider', 'package.json'))) return;
  process.stdout.write('installing the peer (npm ci --prefix bench/peer-oidc-provider)\n');
  const npm = spawnSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (npm.status !== 0) throw new Error(`npm ci for the peer failed (exit ${npm.status})`);
}

/** The installed peer's version, from its package.json. */
export function peerVersion(): string {
  const file = join(PEER_DIR, 'node_modules', 'oidc-provider', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Starts node-oidc-provider on `redisUrl` (a Redis URL with its own DB number, so its keys
 * never mix with tollgate's). `autoPipelining` turns on ioredis auto-pipelining in its adapter.
 */
export async function startPeer(redisUrl: string, autoPipelining: boolean): Promise<ServerProcess> {
  ensureInstalled();
  return forkServer(join(PEER_DIR, 'server.mjs'), {
    NODE_ENV: 'production',
    PEER_REDIS_URL: redisUrl,
    PEER_AUTO_PIPELINING: String(autoPipelining),
  });
}
