import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';

/** Where the .lua files live (copied next to the compiled JS by nest-cli assets). */
export const SCRIPTS_DIR = join(__dirname, 'scripts');

const SCRIPT_FILE = /^([a-z][A-Za-z0-9]*)-(\d+)\.lua$/;
const INCLUDE = /^--\s*@include\s+([A-Za-z0-9_-]+)\s*$/gm;

export interface LuaScript {
  /** Command name registered on the client, e.g. `consumeCode`. */
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
}

/**
 * Reads every `verbNoun-<numKeys>.lua` (BullMQ's convention: the key count is in the
 * file name, so a caller can never pass keys through ARGV by mistake) and expands
 * `-- @include name` lines from scripts/includes/.
 */
export function readScripts(dir = SCRIPTS_DIR): LuaScript[] {
  return readdirSync(dir)
    .map((file) => SCRIPT_FILE.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([file, name, keys]) => ({
      name,
      numberOfKeys: Number(keys),
      lua: expandIncludes(readFileSync(join(dir, file), 'utf8'), join(dir, 'includes')),
    }));
}

function expandIncludes(lua: string, includesDir: string): string {
  return lua.replace(INCLUDE, (_line, name: string) =>
    readFileSync(join(includesDir, `${name}.lua`), 'utf8'),
  );
}

/**
 * Registers each script once per client with `defineCommand`: ioredis then sends
 * EVALSHA and falls back to EVAL on NOSCRIPT (e.g. after a failover to a replica
 * whose script cache is empty), so callers never handle script loading.
 */
export function defineScripts(client: Redis, scripts: readonly LuaScript[]): void {
  for (const script of scripts) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}
