import { applyDecorators } from '@nestjs/common';
import { IsDefined, ValidateIf } from 'class-validator';

/*
 * The two presence rules of the user DTOs, worded like the client DTOs' (clients/dto/
 * field-rules.ts) but kept here: users depends on nothing but config and redis.
 */

/** Must be present and not null. */
export function Required(expect: string): PropertyDecorator {
  return IsDefined({
    message: ({ property, value }) =>
      value === null
        ? `${property} must not be null (it is required): expected ${expect}`
        : `${property} is required: ${expect}`,
  });
}

/** May be left out, but not null (unlike @IsOptional); the rules after it judge a value. */
export function OptionalNotNull(expect: string): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_dto: object, value: unknown) => value !== undefined),
    IsDefined({ message: `$property must not be null: expected ${expect}` }),
  );
}
