import type { Readable } from 'node:stream';
import type { UsersService } from '../../users/users.service';
import type { UserAdmin } from '../user-admin.service';
import { presentUser } from '../user.presenter';
import { PASSWORD_ENV, PasswordSource, UsersCliCommand } from './users-cli-args';

/** Where a password may come from: standard input and the environment, never argv. */
export interface PasswordInput {
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Runs one parsed `users` command; the result is printed as JSON by main.ts. */
export async function runUsersCommand(
  users: UsersService,
  admin: UserAdmin,
  command: UsersCliCommand,
  input: PasswordInput,
): Promise<unknown> {
  switch (command.kind) {
    case 'create': {
      const password = await readPassword(command.password, input);
      const { username, displayName, disabled } = command;
      return presentUser(await users.create({ username, password, displayName, disabled }));
    }
    case 'list':
      return { users: (await users.list()).map((user) => presentUser(user)) };
    case 'get':
      return presentUser(await users.require(command.id));
    case 'disable':
    case 'enable': {
      const disabled = command.kind === 'disable';
      const { user, ended } = await admin.update(command.id, { disabled }, []);
      return presentUser(user, ended);
    }
    case 'reset-password': {
      const password = await readPassword(command.password, input);
      return presentUser(await users.resetPassword(command.id, password));
    }
    case 'delete': {
      const { revoked, endedSessions } = await admin.delete(command.id);
      return { user_id: command.id, deleted: true, revoked, ended_sessions: endedSessions };
    }
    case 'revoke-tokens':
      return { user_id: command.id, ...(await admin.revokeTokens(command.id)) };
  }
}

/** The password from `source`; an error (exit 1) when there is none. */
export async function readPassword(source: PasswordSource, input: PasswordInput): Promise<string> {
  if (source === 'env') {
    const password = input.env[PASSWORD_ENV];
    if (!password) throw new Error(`no password: set ${PASSWORD_ENV} or pass --password-stdin`);
    return password;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of input.stdin) chunks.push(Buffer.from(chunk as Buffer));
  // One line: the newline that `echo` or a here-string adds is not part of the password.
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!password) throw new Error('no password on standard input');
  return password;
}
