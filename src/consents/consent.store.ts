/**
 * Remembered consents (auth:consent:{user_id}): per user and client, the scopes the user
 * allowed with "remember this decision". No TTL: they last until revoked or the user is
 * deleted. Redis outages throw RedisUnavailableException.
 */
export abstract class ConsentStore {
  /** Adds `scopes` to what the user granted the client (never removes any); returns the union. */
  abstract grant(userId: string, clientId: string, scopes: readonly string[]): Promise<string[]>;

  /** The scopes granted to the client, or an empty list. */
  abstract find(userId: string, clientId: string): Promise<string[]>;

  /** Every client's granted scopes. */
  abstract list(userId: string): Promise<Record<string, string[]>>;

  /** Forgets the client's consent; false when there was none. */
  abstract revoke(userId: string, clientId: string): Promise<boolean>;

  /** Forgets every consent of the user (user deleted). */
  abstract forgetUser(userId: string): Promise<void>;
}
