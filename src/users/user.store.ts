import type { User } from './user.types';

/** What the registry holds for one user: the public record plus the password hash. */
export interface UserRecord extends User {
  /** Self-describing scrypt hash (password-hasher.ts): `scrypt$N$r$p$salt$hash`. */
  readonly passwordHash: string;
}

/** Changes `update` may apply. Omitted fields stay; `displayName: null` removes it. */
export interface UserChanges {
  readonly disabled?: boolean;
  readonly displayName?: string | null;
  readonly passwordHash?: string;
  readonly updatedAt: string;
}

/**
 * Storage of user records (contract here, Redis in redis-user.store.ts, an in-memory fake
 * in the unit tests).
 *
 * Contract:
 * - `create` stores the record and claims its username (normalizeUsername) atomically; it
 *   throws UsernameTakenError when the name is taken, and then changes nothing. Of two
 *   concurrent creates of one name exactly one succeeds.
 * - `find` returns the record as last written, or null. `findByUsername` looks the name up
 *   ignoring case; it does the same storage work whether or not the name exists, so its
 *   timing does not tell which names exist.
 * - `update` changes only the given fields and `updatedAt`; UserNotFoundError for an unknown
 *   id; it never re-creates a deleted user.
 * - `delete` removes the record and frees its username; false when there was nothing to
 *   delete. After it `find`, `findByUsername` and `list` no longer see the user.
 * - `list` returns every user, ordered by username (case-insensitive).
 * - Storage outages leave every method as RedisUnavailableException (503), nothing else.
 */
export abstract class UserStore {
  abstract find(id: string): Promise<UserRecord | null>;
  abstract findByUsername(username: string): Promise<UserRecord | null>;
  abstract list(): Promise<UserRecord[]>;
  abstract create(record: UserRecord): Promise<void>;
  abstract update(id: string, changes: UserChanges): Promise<void>;
  abstract delete(id: string): Promise<boolean>;
}
