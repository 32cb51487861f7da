import { Injectable } from '@nestjs/common';
import { ConsentsService } from '../consents/consents.service';
import { RedisUnavailableException } from '../redis/redis-unavailable';
import { SessionsService } from '../sessions/sessions.service';
import { TokensService } from '../tokens/tokens.service';
import { UserNotFoundError } from '../users/user.errors';
import { UpdateUserInput, User } from '../users/user.types';
import { UsersService } from '../users/users.service';

/** What disabling or deleting a user ended. */
export interface EndedAccess {
  /** Token records revoked (TokensService.revokeAllForUser). */
  readonly revoked: number;
  /** Browser sessions ended (SessionsService.endAllForUser). */
  readonly endedSessions: number;
}

/**
 * Admin operations on users that span the user registry, the sessions and the tokens,
 * shared by the admin API and the CLI so both do exactly the same thing.
 *
 * Disabling or deleting a user ends what they hold: first the user record changes (from then
 * on verifyPassword refuses them), then every browser session of theirs ends and every token
 * in their token index is revoked.
 */
@Injectable()
export class UserAdmin {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly consents: ConsentsService,
  ) {}

  /** PATCH: a change to `disabled: true` also ends the user's sessions and tokens. */
  async update(
    id: string,
    input: UpdateUserInput,
    problems: readonly string[],
  ): Promise<{ user: User; ended?: EndedAccess }> {
    const user = await this.users.update(id, input, problems);
    if (input.disabled !== true) return { user };
    return { user, ended: await this.endAccess('disabled', id) };
  }

  async delete(id: string): Promise<EndedAccess> {
    if (!(await this.users.delete(id))) throw new UserNotFoundError(id);
    const ended = await this.endAccess('deleted', id);
    await this.consents.forgetUser(id);
    return ended;
  }

  /** The user's remembered consents (client id -> scopes). */
  async consentsOf(id: string): Promise<Record<string, string[]>> {
    await this.users.require(id);
    return this.consents.list(id);
  }

  /**
   * Forgets the user's consent for a client and revokes the tokens the client holds for the
   * user (their whole families): the next authorization request asks again. Null when there
   * was no such consent.
   */
  async revokeConsent(id: string, clientId: string): Promise<{ revoked: number } | null> {
    if (!(await this.consents.revoke(id, clientId))) return null;
    return { revoked: await this.tokens.revokeForUserAndClient(id, clientId) };
  }

  /** Revokes every live token issued for `id`; works for a deleted user too. */
  async revokeTokens(id: string): Promise<{ revoked: number }> {
    return { revoked: await this.tokens.revokeAllForUser(id) };
  }

  private async endAccess(what: 'disabled' | 'deleted', id: string): Promise<EndedAccess> {
    try {
      const endedSessions = await this.sessions.endAllForUser(id);
      return { endedSessions, revoked: await this.tokens.revokeAllForUser(id) };
    } catch (err) {
      if (!(err instanceof RedisUnavailableException)) throw err;
      throw new RedisUnavailableException(
        err.connectionState,
        `user ${JSON.stringify(id)} was ${what}, but ending their sessions and tokens failed; ` +
          `retry with DELETE /api/v1/admin/users/${id}/sessions and POST ` +
          `/api/v1/admin/users/${id}/revoke-tokens (CLI: users revoke-tokens --id ${id})`,
      );
    }
  }
}
