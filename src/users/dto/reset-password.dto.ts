import { IsString } from 'class-validator';
import { Required } from '../../validation/presence-rules';

/** POST /api/v1/admin/users/{id}/reset-password: the new password, never echoed. */
export class ResetPasswordDto {
  @Required('a string')
  @IsString({ message: '$property must be a string' })
  password!: string;
}
