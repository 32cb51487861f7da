import {
  ClientExistsError,
  ClientNotFoundError,
  ClientValidationError,
} from '../../../src/clients/client.errors';
import {
  ClientChangeListener,
  ClientProfileChanges,
  ClientRecord,
  ClientStore,
  SecretRotation,
} from '../../../src/clients/client.store';

/**
 * In-memory fake of ClientStore, following the contract in client.store.ts. Several
 * ClientsService instances sharing one fake behave like instances sharing one Redis: each
 * write is announced to every watcher. Changing `records` directly is a write nobody hears
 * of (a lost announcement); `finds` counts reads that reached the store.
 */
export class InMemoryClientStore extends ClientStore {
  readonly records = new Map<string, ClientRecord>();
  readonly listeners = new Set<ClientChangeListener>();
  writes = 0;
  finds = 0;

  async find(id: string): Promise<ClientRecord | null> {
    this.finds++;
    return this.records.get(id) ?? null;
  }

  watch(listener: ClientChangeListener): () => void {
    this.listeners.add(listener);
    listener.live(true);
    return () => this.listeners.delete(listener);
  }

  /** Tells every watcher that announcements stopped (false) or flow again (true). */
  setLive(flowing: boolean): void {
    this.listeners.forEach((l) => l.live(flowing));
  }

  private announce(id: string): void {
    this.listeners.forEach((l) => l.changed(id));
  }

  async list(): Promise<ClientRecord[]> {
    return [...this.records.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async create(record: ClientRecord): Promise<void> {
    if (this.records.has(record.id)) throw new ClientExistsError(record.id);
    this.writes++;
    this.records.set(record.id, { ...record });
    this.announce(record.id);
  }

  async update(id: string, changes: ClientProfileChanges): Promise<void> {
    const existing = this.records.get(id);
    if (!existing) throw new ClientNotFoundError(id);
    this.writes++;
    const next: Record<string, unknown> = { ...existing };
    for (const [field, value] of Object.entries(changes)) {
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = value;
    }
    this.records.set(id, next as unknown as ClientRecord);
    this.announce(id);
  }

  async rotateSecret(id: string, rotation: SecretRotation): Promise<void> {
    const existing = this.records.get(id);
    if (!existing) throw new ClientNotFoundError(id);
    if (existing.type !== 'confidential') throw new ClientValidationError(['public']);
    this.writes++;
    const keep = rotation.previousValidUntil !== null && existing.secretHash !== undefined;
    this.records.set(id, {
      ...existing,
      secretHash: rotation.secretHash,
      previousSecretHash: keep ? existing.secretHash : undefined,
      previousSecretExpiresAt: keep ? (rotation.previousValidUntil ?? undefined) : undefined,
      updatedAt: rotation.updatedAt,
    });
    this.announce(id);
  }

  async delete(id: string): Promise<boolean> {
    const deleted = this.records.delete(id);
    this.announce(id);
    return deleted;
  }
}
