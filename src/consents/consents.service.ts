import { Injectable } from '@nestjs/common';
import { ConsentStore } from './consent.store';

/**
 * Remembered consents: which scopes a user let a client have without asking again. The
 * authorize flow skips the consent page only when every requested scope is remembered; the
 * admin API lists and revokes them, and deleting a user forgets them.
 */
@Injectable()
export class ConsentsService {
  constructor(private readonly store: ConsentStore) {}

  /** True when the user granted the client every one of `scopes` before. */
  async covers(userId: string, clientId: string, scopes: readonly string[]): Promise<boolean> {
    const granted = new Set(await this.store.find(userId, clientId));
    return scopes.every((scope) => granted.has(scope));
  }

  remember(userId: string, clientId: string, scopes: readonly string[]): Promise<string[]> {
    return this.store.grant(userId, clientId, scopes);
  }

  list(userId: string): Promise<Record<string, string[]>> {
    return this.store.list(userId);
  }

  revoke(userId: string, clientId: string): Promise<boolean> {
    return this.store.revoke(userId, clientId);
  }

  forgetUser(userId: string): Promise<void> {
    return this.store.forgetUser(userId);
  }
}
