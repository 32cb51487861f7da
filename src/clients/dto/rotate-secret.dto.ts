import { IsInt, Min } from 'class-validator';
import { OptionalNotNull } from '../../validation/presence-rules';

const EXPECT_GRACE = 'a whole number of seconds (0 = the old secret stops at once)';

/**
 * POST /api/v1/admin/clients/{id}/rotate-secret: no body, `{}`, or `{"grace_seconds": n}`.
 * The upper bound is ClientsService's (it also checks the configured default).
 */
export class RotateSecretDto {
  @OptionalNotNull(EXPECT_GRACE)
  @IsInt({ message: `$property must be ${EXPECT_GRACE}` })
  @Min(0, { message: `$property must be ${EXPECT_GRACE}` })
  grace_seconds?: number;
}
