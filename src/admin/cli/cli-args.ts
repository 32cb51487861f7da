import { parseArgs } from 'node:util';
import type {
  ClientType,
  CreateClientInput,
  GrantType,
  TokenEndpointAuthMethod,
} from '../../clients/client.types';
import { UsageError } from './usage-error';
import { parseRedisArgs, type RedisCliCommand } from './redis-cli-args';
import { parseUsersArgs, type UsersCliCommand } from './users-cli-args';

export const USAGE = `usage: tollgate-cli clients <command> [options]
       tollgate-cli users <command> [options]   (tollgate-cli users --help)
       tollgate-cli redis check [options]       (tollgate-cli redis --help)

commands:
  create --name <name> --type confidential|public [--grant-types a,b]
         [--scopes "a b"] [--redirect-uris u1,u2] [--id <client_id>]
         [--auth-method client_secret_basic|client_secret_post|none]
         [--resource-server] [--access-token-ttl <s>] [--refresh-token-ttl <s>]
         [--no-require-pkce]   confidential clients only: PKCE optional (default required)
         [--cache-services svc1,svc2]   service cache namespaces (with cache:read/write)
         --grant-types may be left out only with --resource-server
  list
  get    --id <client_id>
  rotate --id <client_id> [--grace-seconds <s>]
         new secret; the old one stays valid for <s> seconds
         (default CLIENT_SECRET_GRACE_SECONDS; 0 = it stops at once)
  delete --id <client_id>          deletes the client, then revokes its tokens
  revoke-tokens --id <client_id>   revokes every token of the client (also after a delete)
  apply --file <path>              creates or updates the clients of a bootstrap file
                                   (the CLIENTS_BOOTSTRAP_FILE format, docs/admin.md)

Uses the same Redis settings as the server (REDIS_MODE, REDIS_URL or REDIS_SENTINELS and
REDIS_MASTER_NAME, ...). Output is JSON on stdout; errors go to stderr (exit 1, or 2 for
usage errors).`;

export { UsageError };

export type CliCommand =
  | { readonly kind: 'create'; readonly input: CreateClientInput }
  | { readonly kind: 'list' }
  | { readonly kind: 'rotate'; readonly id: string; readonly graceSeconds?: number }
  | { readonly kind: 'get' | 'delete' | 'revoke-tokens'; readonly id: string }
  | { readonly kind: 'apply'; readonly file: string };

const OPTIONS = {
  id: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  'grant-types': { type: 'string' },
  scopes: { type: 'string' },
  'redirect-uris': { type: 'string' },
  'auth-method': { type: 'string' },
  'resource-server': { type: 'boolean' },
  'no-require-pkce': { type: 'boolean' },
  'access-token-ttl': { type: 'string' },
  'refresh-token-ttl': { type: 'string' },
  'cache-services': { type: 'string' },
  'grace-seconds': { type: 'string' },
  file: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses `clients <command> [options]` or `users <command> [options]` (argv without node
 * and the script).
 */
export function parseCliArgs(
  argv: readonly string[],
): CliCommand | UsersCliCommand | RedisCliCommand {
  const group = argv.find((arg) => !arg.startsWith('-'));
  if (group === 'users') return parseUsersArgs(argv);
  if (group === 'redis') return parseRedisArgs(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  const [first, command, ...rest] = positionals;
  if (first !== 'clients')
    throw new UsageError(`unknown command group ${JSON.stringify(first ?? '')}`);
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  switch (command) {
    case 'list':
      return { kind: 'list' };
    case 'get':
    case 'delete':
    case 'revoke-tokens':
      return { kind: command, id: requiredId(command, values.id) };
    case 'rotate':
      return {
        kind: 'rotate',
        id: requiredId(command, values.id),
        graceSeconds: seconds(values['grace-seconds'], '--grace-seconds'),
      };
    case 'create':
      return { kind: 'create', input: createInput(values) };
    case 'apply':
      if (!values.file) throw new UsageError('clients apply needs --file');
      return { kind: 'apply', file: values.file };
    default:
      throw new UsageError(`unknown clients command ${JSON.stringify(command ?? '')}`);
  }
}

type Values = { readonly [K in keyof typeof OPTIONS]?: string | boolean };

function requiredId(command: string, id: string | undefined): string {
  if (!id) throw new UsageError(`clients ${command} needs --id`);
  return id;
}

function createInput(values: Values): CreateClientInput {
  const str = (key: keyof typeof OPTIONS) => values[key] as string | undefined;
  const name = str('name');
  const type = str('type');
  if (!name || !type) throw new UsageError('clients create needs --name and --type');
  return {
    id: str('id'),
    name,
    // Values are checked by ClientsService, which reports every problem at once.
    type: type as ClientType,
    tokenEndpointAuthMethod: str('auth-method') as TokenEndpointAuthMethod | undefined,
    resourceServer: values['resource-server'] === true ? true : undefined,
    requirePkce: values['no-require-pkce'] === true ? false : undefined,
    grantTypes: list(str('grant-types') ?? '', /,/) as GrantType[],
    scopes: list(str('scopes') ?? '', /[\s,]+/),
    redirectUris: list(str('redirect-uris') ?? '', /,/),
    cacheServices: list(str('cache-services') ?? '', /[\s,]+/),
    accessTokenTtlSeconds: seconds(str('access-token-ttl'), '--access-token-ttl'),
    refreshTokenTtlSeconds: seconds(str('refresh-token-ttl'), '--refresh-token-ttl'),
  };
}

function list(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number of seconds`);
  return Number(value);
}
