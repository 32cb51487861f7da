import type { OAuthClient } from './client.types';

/** What the registry holds for one client: the public record plus its secret hashes. */
export interface ClientRecord extends OAuthClient {
  /** SHA-256 hex of the current secret; absent for public clients. */
  readonly secretHash?: string;
  /** SHA-256 hex of the secret replaced by the last rotation, valid until the instant below. */
  readonly previousSecretHash?: string;
  /** Unix epoch milliseconds after which previousSecretHash no longer verifies. */
  readonly previousSecretExpiresAt?: number;
}

/**
 * Profile changes `update` may apply. Omitted fields stay as they are; `null` removes an
 * optional field. Secrets are deliberately not here: only `rotateSecret` changes them, so an
 * update that read the record before a rotation can never write the old secret back.
 */
export interface ClientProfileChanges {
  readonly name?: string;
  readonly tokenEndpointAuthMethod?: OAuthClient['tokenEndpointAuthMethod'];
  readonly resourceServer?: boolean;
  readonly requirePkce?: boolean;
  readonly redirectUris?: readonly string[];
  readonly grantTypes?: OAuthClient['grantTypes'];
  readonly scopes?: readonly string[];
  readonly cacheServices?: readonly string[];
  readonly accessTokenTtlSeconds?: number | null;
  readonly refreshTokenTtlSeconds?: number | null;
  readonly updatedAt: string;
}

export interface SecretRotation {
  /** SHA-256 hex of the new secret. */
  readonly secretHash: string;
  /**
   * Unix epoch milliseconds until which the replaced secret keeps verifying; null drops
   * it at once (grace period 0).
   */
  readonly previousValidUntil: number | null;
  readonly updatedAt: string;
}

/** Hears about client writes made by any instance sharing the store (ClientStore.watch). */
export interface ClientChangeListener {
  /** Client `id` was created, updated, rotated or deleted (by this instance or another). */
  changed(id: string): void;
  /**
   * `true`: announcements flow (again); some may have been missed before, so everything
   * cached is suspect. `false`: announcements stopped; nothing cached can be trusted until
   * the next `true`.
   */
  live(flowing: boolean): void;
}

/**
 * Storage of client records (fosite-style: the contract lives here, the Redis
 * implementation in redis-client.store.ts, an in-memory fake in the unit tests).
 *
 * Contract:
 * - `find` returns the record exactly as last written, or null; it is one round trip
 *   because it runs on every client authentication.
 * - `create` registers a new id and its index entry atomically; it throws
 *   ClientExistsError when the id is taken and then changes nothing.
 * - `update` changes only the given profile fields and `updatedAt`; it throws
 *   ClientNotFoundError for an unknown id and never re-creates a deleted client.
 * - `rotateSecret` atomically moves the current hash to `previousSecretHash` (or drops it
 *   when `previousValidUntil` is null) and stores the new one; ClientNotFoundError for an
 *   unknown id, ClientValidationError for a public client (it has no secret).
 * - `delete` removes the record and its index entry; false when there was nothing to delete.
 *   After `delete`, `find` returns null and `list` no longer includes the id.
 * - `list` returns every registered client, ordered by id.
 * - Every successful `create`, `update`, `rotateSecret` and `delete` is announced, atomically
 *   with the write, to the listeners passed to `watch` on every instance sharing the store;
 *   `watch` returns the function that stops listening.
 * - Storage outages leave every method as RedisUnavailableException (503), nothing else.
 */
export abstract class ClientStore {
  abstract find(id: string): Promise<ClientRecord | null>;
  abstract list(): Promise<ClientRecord[]>;
  abstract create(record: ClientRecord): Promise<void>;
  abstract update(id: string, changes: ClientProfileChanges): Promise<void>;
  abstract rotateSecret(id: string, rotation: SecretRotation): Promise<void>;
  abstract delete(id: string): Promise<boolean>;
  abstract watch(listener: ClientChangeListener): () => void;
}
