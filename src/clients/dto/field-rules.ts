import { applyDecorators } from '@nestjs/common';
import { Equals, IsArray, IsInt, IsString, Max, Min, ValidateIf } from 'class-validator';
import { MAX_TTL_SECONDS } from '../client-validation';

/**
 * class-validator rules shared by the client DTOs. They judge the JSON shape (present, not
 * null, JSON type, a TTL's range); ClientsService judges the values (client-validation.ts).
 *
 * Presence (Required, OptionalNotNull) is in validation/presence-rules.ts, shared with the
 * user DTOs. A `null` is a problem naming the field, except for a TTL override, where it
 * means "the server default" (and clears the override in a PATCH).
 */

/** What a field holds, for messages like "scopes is required: a list of strings (may be [])". */
export const EXPECT = {
  string: 'a string',
  name: 'a non-empty string',
  type: 'confidential or public',
  authMethod: 'client_secret_basic, client_secret_post or none',
  boolean: 'true or false',
  list: 'a list of strings (may be [])',
  ttl: `a whole number of seconds (1-${MAX_TTL_SECONDS}), or null for the server default`,
} as const;

/** A JSON string; `expect` says which strings the registry accepts. */
export function IsStringOf(expect: string): PropertyDecorator {
  return IsString({ message: `$property must be ${expect}` });
}

export function IsStringList(): PropertyDecorator {
  const message = '$property must be a list of strings';
  return applyDecorators(IsArray({ message }), IsString({ each: true, message }));
}

/** A per-client token lifetime; place after @IsOptional(), which lets null through. */
export function IsTtl(): PropertyDecorator {
  const message = `$property must be ${EXPECT.ttl}`;
  return applyDecorators(
    IsInt({ message }),
    Min(1, { message }),
    Max(MAX_TTL_SECONDS, { message }),
  );
}

/** A field a PATCH may not carry at all, not even as null: any value is refused. */
export function CannotChange(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_dto: object, value: unknown) => value !== undefined),
    Equals(undefined, {
      message: '$property cannot change (delete the client and create it again)',
    }),
  );
}
