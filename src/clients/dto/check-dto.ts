import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, ValidationTypes, ValidatorOptions, validateSync } from 'class-validator';

/**
 * The options of the global ValidationPipe (src/bootstrap.ts), plus one problem per field:
 * a missing field is "required", not also "must be a string".
 */
const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  stopAtFirstError: true,
};

export interface CheckedDto<T> {
  /** The body as a `T`, without the fields that `problems` name. */
  readonly dto: T;
  /** Shape problems, one per bad field; empty when the body fits `T`. */
  readonly problems: string[];
}

/**
 * Validates a JSON body against a DTO class and reports its problems instead of throwing,
 * so the caller can list them together with the problems of meaning that only the
 * registry can see (unconfigured scopes, redirect URI rules): one answer names everything.
 * Fields with a problem are removed from `dto`, so what is left is well-typed.
 */
export function checkDto<T extends object>(
  cls: ClassConstructor<T>,
  body: unknown,
  notAnObject = 'the body must be a JSON object',
): CheckedDto<T> {
  if (!isJsonObject(body)) {
    // One problem says it all: no field of a non-object is reported as missing.
    return { dto: plainToInstance(cls, {}), problems: [notAnObject] };
  }
  const dto = plainToInstance(cls, body);
  const problems = validateSync(dto, OPTIONS).flatMap((error) => {
    delete (dto as Record<string, unknown>)[error.property];
    return describe(error);
  });
  return { dto, problems };
}

function describe(error: ValidationError): string[] {
  return Object.entries(error.constraints ?? {}).map(([rule, message]) =>
    // forbidNonWhitelisted says "property x should not exist"; name the typo plainly.
    rule === ValidationTypes.WHITELIST ? `unknown field ${error.property}` : message,
  );
}

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
