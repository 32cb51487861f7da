import { IsBoolean, IsString } from 'class-validator';
import { OptionalNotNull, Required } from '../../validation/presence-rules';
import type { CreateUserInput } from '../user.types';

/**
 * POST /api/v1/admin/users. Shape only: UsersService judges the values (username
 * characters, password length) and lists its problems together with these.
 */
export class CreateUserDto {
  @Required('a string')
  @IsString({ message: '$property must be a string' })
  username!: string;

  /** Never echoed: the answer is the user without it. */
  @Required('a string')
  @IsString({ message: '$property must be a string' })
  password!: string;

  @OptionalNotNull('a string')
  @IsString({ message: '$property must be a string' })
  display_name?: string;

  @OptionalNotNull('true or false')
  @IsBoolean({ message: '$property must be true or false' })
  disabled?: boolean;
}

export function toCreateUserInput(dto: CreateUserDto): CreateUserInput {
  return {
    username: dto.username,
    password: dto.password,
    displayName: dto.display_name,
    disabled: dto.disabled,
  };
}
