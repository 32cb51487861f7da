/**
 * Cheap whole-state snapshots of DB 0 (auth) and DB 1 (cache): every key's type, content and
 * PTTL, in one SCAN pass and two pipelines per database. Content is read by type and put in
 * a canonical order (set members sorted, hash fields sorted), not DUMPed: Redis may reorder a
 * set's or hash's internal table without any change of content (seen here: an SREM of a
 * non-member rehashed a set and changed its DUMP). Two snapshots compare equal when no key
 * appeared, vanished, changed type or content, or had its expiry set, dropped or pushed later.
 */
import type Redis from 'ioredis';

export interface KeyState {
  /** Type and canonical content, as JSON. */
  readonly value: string;
  /** Milliseconds left, -1 without expiry. */
  readonly pttl: number;
}

/** `db:key` -> state. */
export type Snapshot = ReadonlyMap<string, KeyState>;

export interface SnapshotRules {
  /** Keys whose changes are legitimate on a rejected request (see the runner for why). */
  readonly ignoreKey: (key: string) => boolean;
  /** Hash fields ignored the same way; the rest of the hash is still compared. */
  readonly ignoreField?: (key: string, field: string) => boolean;
}

export async function snapshot(
  dbs: readonly (readonly [string, Redis])[],
  rules: SnapshotRules,
): Promise<Snapshot> {
  const out = new Map<string, KeyState>();
  for (const [db, redis] of dbs) {
    const names = (await scanAll(redis)).filter((k) => !rules.ignoreKey(k));
    const meta = redis.pipeline();
    for (const key of names) meta.type(key).pttl(key);
    const metaReplies = (await meta.exec()) ?? [];
    const types = names.map((_, i) => String(metaReplies[2 * i][1]));
    const content = redis.pipeline();
    names.forEach((key, i) => readContent(content, key, types[i]));
    const contentReplies = (await content.exec()) ?? [];
    names.forEach((key, i) => {
      if (types[i] === 'none') return; // expired between SCAN and TYPE
      const value = canonical(key, types[i], contentReplies[i][1], rules);
      // A hash holding only ignored fields counts as absent: creating it changed nothing compared.
      if (value === undefined) return;
      out.set(`${db}:${key}`, { value, pttl: Number(metaReplies[2 * i + 1][1]) });
    });
  }
  return out;
}

function readContent(pipeline: ReturnType<Redis['pipeline']>, key: string, type: string): void {
  if (type === 'string') pipeline.getBuffer(key);
  else if (type === 'hash') pipeline.hgetall(key);
  else if (type === 'set') pipeline.smembers(key);
  else if (type === 'zset') pipeline.zrange(key, '0', '-1', 'WITHSCORES');
  else if (type === 'list') pipeline.lrange(key, 0, -1);
  else pipeline.dumpBuffer(key); // streams and the rest: no canonical form needed here
}

function canonical(
  key: string,
  type: string,
  content: unknown,
  rules: SnapshotRules,
): string | undefined {
  if (Buffer.isBuffer(content)) return JSON.stringify([type, content.toString('hex')]);
  if (type === 'hash') {
    const fields = Object.entries(content as Record<string, string>)
      .filter(([field]) => !rules.ignoreField?.(key, field))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return fields.length === 0 &&
      rules.ignoreField !== undefined &&
      Object.keys(content as object).length > 0
      ? undefined
      : JSON.stringify([type, fields]);
  }
  if (type === 'set') return JSON.stringify([type, [...(content as string[])].sort()]);
  return JSON.stringify([type, content]);
}

async function scanAll(redis: Redis): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
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
