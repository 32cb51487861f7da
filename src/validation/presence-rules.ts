import { applyDecorators } from '@nestjs/common';
import { IsDefined, ValidateIf } from 'class-validator';

/*
 * The presence rules of every admin DTO (clients, users), built on class-validator. `null`
 * is spelled out because class-validator's @IsOptional lets it through: a `null` is a
 * problem naming the field. Depends on nothing, so every feature's DTOs may use it.
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
