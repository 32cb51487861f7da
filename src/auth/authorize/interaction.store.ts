import type { AuthorizationRequest } from './authorization-request';

/** A pending authorization request waiting for the user (login or consent). */
export interface InteractionRecord {
  readonly request: AuthorizationRequest;
  /** Unix ms: a login after this satisfies prompt=login (no loop). */
  readonly createdAtMs: number;
  /** SHA-256 digest of the browser-binding cookie of the browser that started it. */
  readonly bindingDigest: string;
}

/**
 * Interaction records (auth:interaction:{digest of the interaction id}), written once,
 * read by the pages, and deleted exactly once when the request completes. Redis outages
 * throw RedisUnavailableException.
 */
export abstract class InteractionStore {
  /** Stores the record for `ttlSeconds`. */
  abstract save(digest: string, record: InteractionRecord, ttlSeconds: number): Promise<void>;

  /** The live record, or null (unknown, expired or completed). */
  abstract find(digest: string): Promise<InteractionRecord | null>;

  /** Deletes the record: true for exactly one caller, even concurrently (it completes it). */
  abstract complete(digest: string): Promise<boolean>;
}
