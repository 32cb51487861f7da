/**
 * Cheap whole-state snapshots of DB 0 (auth) and DB 1 (cache): every key's type, content and
 * PTTL, read by one script per database (snapshotKeys-0.lua, both databases at once). Two
 * snapshots compare equal when no key appeared, vanished, changed type or content, or had its
 * expiry set, dropped or pushed later.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';

const SNAPSHOT_SCRIPT = readFileSync(join(__dirname, 'snapshotKeys-0.lua'), 'utf8');

export interface KeyState {
  /** Type and canonical content. */
  readonly value: string;
  /** Milliseconds left, -1 without expiry. */
  readonly pttl: number;
}

/** `db:key` -> state. */
export type Snapshot = ReadonlyMap<string, KeyState>;

export interface SnapshotRules {
  /** Key prefixes whose changes are legitimate on a rejected request (see the runner). */
  readonly ignorePrefixes: readonly string[];
  /** Hash fields ignored the same way; the rest of the hash is still compared. */
  readonly ignoreField?: (key: string, field: string) => boolean;
  /** The one key ignoreField applies to (read in full; the others are compared by digest). */
  readonly fieldWiseKey?: string;
}

/**
 * ioredis generates `evalBuffer` (Buffer replies: keys and values may be any bytes) but does
 * not type it; `callBuffer('EVAL', ...)` would lose its command name under the app's
 * auto-pipelining.
 */
interface BufferEval {
  evalBuffer(script: string, numKeys: number, ...args: string[]): Promise<Buffer[]>;
}

export async function snapshot(
  dbs: readonly (readonly [string, Redis])[],
  rules: SnapshotRules,
): Promise<Snapshot> {
  const replies = await Promise.all(
    dbs.map(([, redis]) =>
      (redis as unknown as BufferEval).evalBuffer(
        SNAPSHOT_SCRIPT,
        0,
        rules.fieldWiseKey ?? '',
        ...rules.ignorePrefixes,
      ),
    ),
  );
  const out = new Map<string, KeyState>();
  dbs.forEach(([db], i) => {
    const flat = replies[i];
    for (let at = 0; at < flat.length; at += 4) {
      const key = flat[at].toString('latin1');
      const type = flat[at + 1].toString('latin1');
      const value = canonical(key, type, flat[at + 3], rules);
      // A hash holding only ignored fields counts as absent: creating it changed nothing compared.
      if (value !== undefined)
        out.set(`${db}:${key}`, { value, pttl: Number(flat[at + 2].toString()) });
    }
  });
  return out;
}

function canonical(
  key: string,
  type: string,
  content: Buffer,
  rules: SnapshotRules,
): string | undefined {
  if (type !== 'hash' || key !== rules.fieldWiseKey) return `${type} ${content.toString('latin1')}`;
  const flat = JSON.parse(content.toString('utf8')) as string[];
  const kept: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (!rules.ignoreField?.(key, flat[i])) kept.push(flat[i], flat[i + 1]);
  }
  return kept.length === 0 ? undefined : `${type} ${JSON.stringify(kept)}`;
}

/**
 * What changed from `before` to `after`, as readable lines; empty when nothing did.
 * `mayChange` names keys a rejected request may still touch (e.g. the code it spent).
 */
export function diff(
  before: Snapshot,
  after: Snapshot,
  mayChange: (key: string) => boolean = () => false,
): string[] {
  const changes: string[] = [];
  for (const [key, was] of before) {
    if (mayChange(key)) continue;
    const now = after.get(key);
    // A key whose TTL ran out between the snapshots expired; nobody deleted it.
    if (!now) {
      if (was.pttl < 0 || was.pttl > 5_000) changes.push(`deleted ${key}`);
    } else if (now.value !== was.value) changes.push(`changed ${key}`);
    else if (was.pttl < 0 !== now.pttl < 0 || now.pttl > was.pttl) {
      changes.push(`expiry of ${key}: ${was.pttl} ms -> ${now.pttl} ms`);
    }
  }
  for (const key of after.keys()) {
    if (!before.has(key) && !mayChange(key)) changes.push(`created ${key}`);
  }
  return changes;
}
