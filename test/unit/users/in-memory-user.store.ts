import { UsernameTakenError, UserNotFoundError } from '../../../src/users/user.errors';
import { UserChanges, UserRecord, UserStore } from '../../../src/users/user.store';
import { normalizeUsername } from '../../../src/users/user.types';

/** In-memory fake of UserStore, following the contract in user.store.ts. */
export class InMemoryUserStore extends UserStore {
  readonly records = new Map<string, UserRecord>();
  /** Calls of findByUsername, whether or not the name exists. */
  usernameLookups = 0;

  async find(id: string): Promise<UserRecord | null> {
    return this.records.get(id) ?? null;
  }

  async findByUsername(username: string): Promise<UserRecord | null> {
    this.usernameLookups++;
    const name = normalizeUsername(username);
    return [...this.records.values()].find((r) => normalizeUsername(r.username) === name) ?? null;
  }

  async list(): Promise<UserRecord[]> {
    const name = (r: UserRecord) => normalizeUsername(r.username);
    return [...this.records.values()].sort((a, b) => name(a).localeCompare(name(b)));
  }

  async create(record: UserRecord): Promise<void> {
    const name = normalizeUsername(record.username);
    if ([...this.records.values()].some((r) => normalizeUsername(r.username) === name))
      throw new UsernameTakenError(record.username);
    this.records.set(record.id, record);
  }

  async update(id: string, changes: UserChanges): Promise<void> {
    const current = this.records.get(id);
    if (!current) throw new UserNotFoundError(id);
    const next: { -readonly [K in keyof UserRecord]: UserRecord[K] } = { ...current };
    if (changes.disabled !== undefined) next.disabled = changes.disabled;
    if (changes.passwordHash !== undefined) next.passwordHash = changes.passwordHash;
    if (changes.displayName === null) delete next.displayName;
    else if (changes.displayName !== undefined) next.displayName = changes.displayName;
    next.updatedAt = changes.updatedAt;
    this.records.set(id, next);
  }

  async delete(id: string): Promise<boolean> {
    return this.records.delete(id);
  }
}
