import {
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { RedisReadyGuard } from '../redis/redis-ready.guard';
import { RequireScopes } from '../tokens/require-scopes.decorator';
import { AdminErrorsFilter } from './admin-errors.filter';
import { ADMIN_SCOPE, AdminGuard } from './admin.guard';
import { NoStore } from './no-store.interceptor';
import { UserAdmin } from './user-admin.service';

/**
 * A user's remembered consents (docs/admin.md, "Consents"): list them, or revoke one client's,
 * which also revokes the tokens that client holds for the user. Guarded like the rest of the
 * admin API; answers are no-store.
 */
@Controller('api/v1/admin/users/:userId/consents')
@UseGuards(AdminGuard, RedisReadyGuard)
@RequireScopes(ADMIN_SCOPE)
@UseFilters(AdminErrorsFilter)
@UseInterceptors(NoStore)
export class AdminConsentsController {
  constructor(private readonly admin: UserAdmin) {}

  @Get()
  async list(@Param('userId') userId: string): Promise<{ consents: Record<string, string[]> }> {
    return { consents: await this.admin.consentsOf(userId) };
  }

  @Delete(':clientId')
  @HttpCode(200)
  async revoke(
    @Param('userId') userId: string,
    @Param('clientId') clientId: string,
  ): Promise<{ revoked: number }> {
    const result = await this.admin.revokeConsent(userId, clientId);
    if (!result) {
      throw new NotFoundException({ error: 'not_found', error_description: 'no such consent' });
    }
    return result;
  }
}
