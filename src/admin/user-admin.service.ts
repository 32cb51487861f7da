import { Injectable } from '@nestjs/common';
import { UserNotFoundError } from '../users/user.errors';
import { UpdateUserInput, User } from '../users/user.types';
import { UsersService } from '../users/users.service';

/**
 * Admin operations on users, shared by the admin API and the CLI so both do exactly the
 * same thing.
 *
 * Disabling or deleting a user must also end their sessions and revoke their tokens
 * (issue 9). Disabled and deleted users can no longer sign in (verifyPassword returns null);
 * ending what they already hold is done here once the sessions module and a per-user token
 * index exist (see docs/admin.md, "Users": not yet).
 */
@Injectable()
export class UserAdmin {
  constructor(private readonly users: UsersService) {}

  async update(id: string, input: UpdateUserInput, problems: readonly string[]): Promise<User> {
    return this.users.update(id, input, problems);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.users.delete(id))) throw new UserNotFoundError(id);
  }
}
