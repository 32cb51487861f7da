import { Readable } from 'node:stream';
import { parseCliArgs, UsageError } from '../../../src/admin/cli/cli-args';
import { USERS_USAGE } from '../../../src/admin/cli/users-cli-args';
import { readPassword } from '../../../src/admin/cli/users-command';

function usageError(argv: string[]): UsageError {
  try {
    parseCliArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('CLI arguments: users', () => {
  it('parses users create, the password coming from the environment unless --password-stdin', () => {
    expect(parseCliArgs(['users', 'create', '--username', 'alice', '--display-name', 'A'])).toEqual(
      {
        group: 'users',
        kind: 'create',
        username: 'alice',
        displayName: 'A',
        disabled: false,
        password: 'env',
      },
    );
    expect(
      parseCliArgs(['users', 'create', '--username', 'a', '--password-stdin', '--disabled']),
    ).toMatchObject({ disabled: true, password: 'stdin' });
  });

  it.each(['get', 'disable', 'enable', 'delete', 'revoke-tokens'])(
    'parses users %s --id',
    (kind) => {
      expect(parseCliArgs(['users', kind, '--id', 'u1'])).toEqual({
        group: 'users',
        kind,
        id: 'u1',
      });
    },
  );

  it('parses list and reset-password', () => {
    expect(parseCliArgs(['users', 'list'])).toEqual({ group: 'users', kind: 'list' });
    expect(parseCliArgs(['users', 'reset-password', '--id', 'u1', '--password-stdin'])).toEqual({
      group: 'users',
      kind: 'reset-password',
      id: 'u1',
      password: 'stdin',
    });
  });

  it('refuses a password on the command line, saying why', () => {
    const err = usageError(['users', 'create', '--username', 'a', '--password', 'hunter2hunter2']);
    expect(err.message).toMatch(/ps and shell history/);
    expect(err.message).not.toContain('hunter2');
    expect(err.usage).toBe(USERS_USAGE);
  });

  it('asks for --id and --username, and names unknown commands', () => {
    expect(usageError(['users', 'get']).message).toBe('users get needs --id');
    expect(usageError(['users', 'create']).message).toBe('users create needs --username');
    expect(usageError(['users', 'rename', '--id', 'x']).message).toMatch(/unknown users command/);
  });

  it('still parses clients commands', () => {
    expect(parseCliArgs(['clients', 'list'])).toEqual({ kind: 'list' });
  });
});

describe('CLI password input', () => {
  const stdin = (text: string) => Readable.from([Buffer.from(text)]);

  it('reads one line from stdin, dropping the trailing newline only', async () => {
    const env = {};
    expect(await readPassword('stdin', { stdin: stdin(' pass phrase \n'), env })).toBe(
      ' pass phrase ',
    );
    await expect(readPassword('stdin', { stdin: stdin('\n'), env })).rejects.toThrow(/no password/);
  });

  it('reads TOLLGATE_USER_PASSWORD, and fails without it', async () => {
    const input = { stdin: stdin(''), env: { TOLLGATE_USER_PASSWORD: 'from the env!' } };
    expect(await readPassword('env', input)).toBe('from the env!');
    await expect(readPassword('env', { stdin: stdin(''), env: {} })).rejects.toThrow(
      /TOLLGATE_USER_PASSWORD/,
    );
  });
});
