import type { User } from '../users/user.types';
import type { EndedAccess } from './user-admin.service';

/**
 * A user as the admin API and the CLI print it: snake_case like the client view. There is
 * no password field at all: no answer carries a password or its hash.
 */
export interface UserView {
  readonly user_id: string;
  readonly username: string;
  readonly display_name?: string;
  readonly disabled: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  /** Only in the answer that disabled the user: how many of their tokens were revoked. */
  readonly revoked_tokens?: number;
  /** Only in the answer that disabled the user: how many of their sessions were ended. */
  readonly ended_sessions?: number;
}

export function presentUser(user: User, ended?: EndedAccess): UserView {
  return {
    user_id: user.id,
    username: user.username,
    display_name: user.displayName,
    disabled: user.disabled,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    revoked_tokens: ended?.revoked,
    ended_sessions: ended?.endedSessions,
  };
}
