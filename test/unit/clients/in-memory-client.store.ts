import {
  ClientExistsError,
  ClientNotFoundError,
  ClientValidationError,
} from '../../../src/clients/client.errors';
import {
  ClientProfileChanges,
  ClientRecord,
  ClientStore,
  SecretRotation,
} from '../../../src/clients/client.store';

/** In-memory fake of ClientStore, following the contract in client.store.ts. */
export class InMemoryClientStore extends ClientStore {
  readonly records = new Map<string, ClientRecord>();
  writes = 0;

  async find(id: string): Promise<ClientRecord | null> {
    return this.records.get(id) ?? null;
  }

  async list(): Promise<ClientRecord[]> {
    return [...this.records.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async create(record: ClientRecord): Promise<void> {
    if (this.records.has(record.id)) throw new ClientExistsError(record.id);
    this.writes++;
    this.records.set(record.id, { ...record });
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
  }

  async delete(id: string): Promise<boolean> {
    return this.records.delete(id);
  }
}
