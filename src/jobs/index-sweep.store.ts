/** The per-client and per-user indexes the cleanup jobs sweep. */
export type SweptIndex = 'client-tokens' | 'user-tokens' | 'user-sessions';

export interface SweepPage {
  /** Expired entries removed in this page. */
  readonly removed: number;
  /** Index keys visited. */
  readonly visited: number;
  /** The walk reached the end of the id set; the next page starts over. */
  readonly finished: boolean;
}

/**
 * Sweeps index sorted sets (member = token or session key, score = expiry ms) of every
 * client or user, walking the id set (`auth:clients`, `auth:users`) with SSCAN, no SCAN of
 * the keyspace. The cursor is kept in Redis (keys.jobCursors), so with one run per tick
 * across instances a walk resumes where the previous run stopped, on any instance.
 * A failover may hand the walk a cursor from another node: SSCAN then repeats or skips some
 * ids for one pass, and the next pass visits them. A Redis outage throws
 * RedisUnavailableException.
 */
export abstract class IndexSweepStore {
  /**
   * Visits the next page (about `batch` ids) and drops up to `batch` expired entries from
   * each visited index, giving each the remaining life of its longest-lived entry. Live
   * entries and the tokens and sessions themselves are never touched.
   */
  abstract sweepPage(index: SweptIndex, batch: number, nowMs: number): Promise<SweepPage>;
}

/** Pages visited per sweep in one run: bounds a run's work (500 x 20 = 10,000 indexes). */
export const MAX_PAGES_PER_RUN = 20;

/** Sweeps pages until the walk finishes a pass or MAX_PAGES_PER_RUN; returns entries removed. */
export async function sweepIndexes(
  store: IndexSweepStore,
  index: SweptIndex,
  batch: number,
): Promise<number> {
  let removed = 0;
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const result = await store.sweepPage(index, batch, Date.now());
    removed += result.removed;
    if (result.finished) break;
  }
  return removed;
}
