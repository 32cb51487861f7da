import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

/** The environment variable a user's password may come from (see USERS_USAGE). */
export const PASSWORD_ENV = 'TOLLGATE_USER_PASSWORD';

export const USERS_USAGE = `usage: tollgate-cli users <command> [options]

commands:
  create --username <name> [--display-name <text>] [--disabled] [--password-stdin]
  list
  get     --id <user_id>
  disable --id <user_id>           disables the user, ends their sessions and tokens
  enable  --id <user_id>
  reset-password --id <user_id> [--password-stdin]
  delete  --id <user_id>           deletes the user, ends their sessions and tokens
  revoke-tokens --id <user_id>     revokes every token of the user (also after a delete)

Passwords are never taken from the command line (argv is visible to every local user in
\`ps\` and stays in shell history). create and reset-password read it from standard input
with --password-stdin (one line; the trailing newline is dropped), or else from the
environment variable ${PASSWORD_ENV}.`;

export type PasswordSource = 'stdin' | 'env';

export type UsersCliCommand =
  | {
      readonly group: 'users';
      readonly kind: 'create';
      readonly username: string;
      readonly displayName?: string;
      readonly disabled: boolean;
      readonly password: PasswordSource;
    }
  | { readonly group: 'users'; readonly kind: 'list' }
  | {
      readonly group: 'users';
      readonly kind: 'reset-password';
      readonly id: string;
      readonly password: PasswordSource;
    }
  | {
      readonly group: 'users';
      readonly kind: 'get' | 'disable' | 'enable' | 'delete' | 'revoke-tokens';
      readonly id: string;
    };

const OPTIONS = {
  id: { type: 'string' },
  username: { type: 'string' },
  'display-name': { type: 'string' },
  disabled: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  // Declared only to refuse it with a reason instead of "unknown option".
  password: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `users <command> [options]` (argv without node and the script). */
export function parseUsersArgs(argv: readonly string[]): UsersCliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, USERS_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('', USERS_USAGE);
  if (values.password !== undefined)
    throw new UsageError(
      `--password is refused: a password on the command line shows in ps and shell history; ` +
        `use --password-stdin or ${PASSWORD_ENV}`,
      USERS_USAGE,
    );
  const [, command, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`, USERS_USAGE);
  const password: PasswordSource = values['password-stdin'] ? 'stdin' : 'env';
  const id = () => {
    if (!values.id) throw new UsageError(`users ${command} needs --id`, USERS_USAGE);
    return values.id;
  };
  switch (command) {
    case 'list':
      return { group: 'users', kind: 'list' };
    case 'get':
    case 'disable':
    case 'enable':
    case 'delete':
    case 'revoke-tokens':
      return { group: 'users', kind: command, id: id() };
    case 'reset-password':
      return { group: 'users', kind: command, id: id(), password };
    case 'create':
      if (!values.username) throw new UsageError('users create needs --username', USERS_USAGE);
      return {
        group: 'users',
        kind: 'create',
        username: values.username,
        displayName: values['display-name'],
        disabled: values.disabled === true,
        password,
      };
    default:
      throw new UsageError(`unknown users command ${JSON.stringify(command ?? '')}`, USERS_USAGE);
  }
}
