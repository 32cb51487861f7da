import type { UpsertClientInput } from '../client-upsert';
import type {
  ClientType,
  CreateClientInput,
  GrantType,
  TokenEndpointAuthMethod,
  UpdateClientInput,
} from '../client.types';
import { MAX_TTL_SECONDS } from '../client-validation';

/**
 * Wire shape of a client in the admin API and the bootstrap file: snake_case, like RFC 7591
 * client metadata (`client_id`, `redirect_uris`, `grant_types`). These readers check the
 * JSON shape (object, known fields, presence, JSON types, `null`); ClientsService then
 * checks meaning (values, scopes configured, redirect URI rules). Both add to one list,
 * so a caller sees every problem of a request at once.
 *
 * `null`: clears an optional field with a server default (the TTL overrides) in a PATCH,
 * and is the same as leaving it out on create. Anywhere else it is a problem naming the
 * field: required fields cannot be cleared, and a list is emptied with `[]`.
 */
export interface ReadResult<T> {
  readonly input: T;
  /** Shape problems; when not empty, `input` lacks the fields they name. */
  readonly problems: readonly string[];
}

const PROFILE_FIELDS = [
  'name',
  'token_endpoint_auth_method',
  'resource_server',
  'redirect_uris',
  'grant_types',
  'scopes',
  'access_token_ttl_seconds',
  'refresh_token_ttl_seconds',
] as const;
const CREATE_FIELDS = ['client_id', 'type', ...PROFILE_FIELDS] as const;
const DECLARED_FIELDS = [...CREATE_FIELDS, 'client_secret'] as const;

const STRING = 'a string';
const LIST = 'a list of strings';
const TTL = `a whole number of seconds (1-${MAX_TTL_SECONDS})`;

/** POST /api/v1/admin/clients. */
export function readCreateClientBody(body: unknown): ReadResult<CreateClientInput> {
  const r = new FieldReader(body, CREATE_FIELDS);
  return { input: readNewClient(r), problems: r.problems };
}

/** PATCH /api/v1/admin/clients/{id}: only the fields present change. */
export function readUpdateClientBody(body: unknown): ReadResult<UpdateClientInput> {
  const r = new FieldReader(body, PROFILE_FIELDS, 'client_id and type cannot change');
  return { input: readProfile(r, false), problems: r.problems };
}

/** One client of the bootstrap file: like the create body, with a required id and a secret. */
export function readDeclaredClient(raw: unknown): ReadResult<UpsertClientInput> {
  const r = new FieldReader(raw, DECLARED_FIELDS);
  // A missing id is reported by validateDeclaredClient, which every declared client passes.
  const input = readNewClient(r);
  const clientSecret = r.string('client_secret', { required: false, expect: STRING });
  return { input: { ...input, id: input.id ?? '', clientSecret }, problems: r.problems };
}

/** POST .../rotate-secret: no body, `{}`, or `{"grace_seconds": n}`. */
export function readRotateSecretBody(body: unknown): ReadResult<{ graceSeconds?: number }> {
  if (body === undefined) return { input: {}, problems: [] };
  const r = new FieldReader(body, ['grace_seconds']);
  const grace = r.integer('grace_seconds', {
    nullable: false,
    min: 0,
    expect: 'a whole number of seconds (0 = the old secret stops at once)',
  });
  return { input: { graceSeconds: grace ?? undefined }, problems: r.problems };
}

function readNewClient(r: FieldReader): CreateClientInput {
  const id = r.string('client_id', { required: false, expect: STRING });
  const type = r.string('type', { required: true, expect: 'confidential or public' });
  return { id, type: type as ClientType, ...readProfile(r, true) } as CreateClientInput;
}

function readProfile(r: FieldReader, create: boolean): UpdateClientInput {
  const required = create;
  const ttl = (field: string) => {
    const value = r.integer(field, {
      nullable: true,
      min: 1,
      expect: `${TTL}, or null for the server default`,
    });
    // On create, null and absent both mean "use the server default".
    return create && value === null ? undefined : value;
  };
  return {
    name: r.string('name', { required, expect: 'a non-empty string' }),
    tokenEndpointAuthMethod: r.string('token_endpoint_auth_method', {
      required: false,
      expect: 'client_secret_basic, client_secret_post or none',
    }) as TokenEndpointAuthMethod | undefined,
    resourceServer: r.boolean('resource_server'),
    redirectUris: r.list('redirect_uris', { required: false }),
    grantTypes: r.list('grant_types', { required }) as GrantType[] | undefined,
    scopes: r.list('scopes', { required }),
    accessTokenTtlSeconds: ttl('access_token_ttl_seconds'),
    refreshTokenTtlSeconds: ttl('refresh_token_ttl_seconds'),
  };
}

/** Reads typed fields from a JSON object, collecting one problem per bad field. */
class FieldReader {
  readonly problems: string[] = [];
  private readonly body: Readonly<Record<string, unknown>>;
  private readonly notAnObject: boolean = false;

  constructor(body: unknown, allowed: readonly string[], hint?: string) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      // One problem says it all: no field of a non-object is reported as missing.
      this.problems.push('the body must be a JSON object');
      this.body = {};
      this.notAnObject = true;
      return;
    }
    this.body = body as Record<string, unknown>;
    for (const field of Object.keys(this.body).filter((f) => !allowed.includes(f))) {
      this.problems.push(
        `unknown field ${field}${hint && CREATE_FIELDS.includes(field as never) ? ` (${hint})` : ''}`,
      );
    }
  }

  string(field: string, opts: { required: boolean; expect: string }): string | undefined {
    const value = this.present(field, opts.required, opts.expect);
    if (value === undefined || typeof value === 'string') return value;
    return this.wrong(field, opts.expect);
  }

  list(field: string, opts: { required: boolean }): string[] | undefined {
    const value = this.present(field, opts.required, `${LIST} (may be [])`);
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    return this.wrong(field, LIST);
  }

  boolean(field: string): boolean | undefined {
    const value = this.present(field, false, 'true or false');
    if (value === undefined || typeof value === 'boolean') return value;
    return this.wrong(field, 'true or false');
  }

  integer(
    field: string,
    opts: { nullable: boolean; min: number; expect: string },
  ): number | null | undefined {
    const value = this.body[field];
    if (value === null && opts.nullable) return null;
    const present = this.present(field, false, opts.expect);
    if (present === undefined) return undefined;
    if (Number.isInteger(present) && (present as number) >= opts.min) return present as number;
    return this.wrong(field, opts.expect);
  }

  /** The value, or undefined when absent (a problem if required) or null (always a problem). */
  private present(field: string, required: boolean, expect: string): unknown {
    const value = this.body[field];
    if (value === null) {
      this.problems.push(
        `${field} must not be null${required ? ' (it is required)' : ''}: expected ${expect}`,
      );
      return undefined;
    }
    if (value === undefined && required && !this.notAnObject)
      this.problems.push(`${field} is required: ${expect}`);
    return value;
  }

  private wrong(field: string, expect: string): undefined {
    this.problems.push(`${field} must be ${expect}`);
    return undefined;
  }
}
