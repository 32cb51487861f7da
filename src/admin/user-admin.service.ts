import { Injectable } from '@nestjs/common';
import { RedisUnavailableException } from '../redis/redis-unavailable';
import { TokensService } from '../tokens/tokens.service';
import { UserNotFoundError } from '../users/user.errors';
import { UpdateUserInput, User } from '../users/user.types';
import { UsersService } from '../users/users.service';

/**
 * Admin operations on users that span the user registry and the tokens, shared by the admin
 * API and the CLI so both do exactly the same thing.
 *
 * Disabling or deleting a user ends what they hold: first the user record changes (from then
 * on verifyPassword refuses them), then every token in their token index is revoked.
 * Browser sessions are the sessions module's (issue 9 item 2): ending them belongs here too,
 * once it exists.
 */
@Injectable()
export class UserAdmin {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
  ) {}

  /** PATCH: a change to `disabled: true` also revokes the user's tokens. */
  async update(
    id: string,
    input: UpdateUserInput,
    problems: readonly string[],
  ): Promise<{ user: User; revoked?: number }> {
    const user = await this.users.update(id, input, problems);
    if (input.disabled !== true) return { user };
    return { user, revoked: await this.revokeAfter('disabled', id) };
  }

  async delete(id: string): Promise<{ revoked: number }> {
    if (!(await this.users.delete(id))) throw new UserNotFoundError(id);
    return { revoked: await this.revokeAfter('deleted', id) };
  }

  /** Revokes every live token issued for `id`; works for a deleted user too. */
  async revokeTokens(id: string): Promise<{ revoked: number }> {
    return { revoked: await this.tokens.revokeAllForUser(id) };
  }

  private async revokeAfter(what: 'disabled' | 'deleted', id: string): Promise<number> {
    try {
      return await this.tokens.revokeAllForUser(id);
    } catch (err) {
      if (!(err instanceof RedisUnavailableException)) throw err;
      throw new RedisUnavailableException(
        err.connectionState,
        `user ${JSON.stringify(id)} was ${what}, but revoking their tokens failed; retry with ` +
          `POST /api/v1/admin/users/${id}/revoke-tokens (CLI: users revoke-tokens --id ${id})`,
      );
    }
  }
}
