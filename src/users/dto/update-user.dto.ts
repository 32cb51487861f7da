import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { OptionalNotNull } from '../../validation/presence-rules';
import type { UpdateUserInput } from '../user.types';

/**
 * PATCH /api/v1/admin/users/{id}: `{"disabled": true}` disables, `false` enables;
 * `display_name: null` removes the display name. The username never changes and the
 * password has its own endpoint (reset-password): both are unknown fields here.
 */
export class UpdateUserDto {
  @OptionalNotNull('true or false')
  @IsBoolean({ message: '$property must be true or false' })
  disabled?: boolean;

  @IsOptional()
  @IsString({ message: '$property must be a string, or null to remove it' })
  display_name?: string | null;
}

export function toUpdateUserInput(dto: UpdateUserDto): UpdateUserInput {
  return { disabled: dto.disabled, displayName: dto.display_name };
}
