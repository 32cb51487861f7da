import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { checkDto } from '../clients/dto/check-dto';
import { RedisReadyGuard } from '../redis/redis-ready.guard';
import { RequireScopes } from '../tokens/require-scopes.decorator';
import { CreateUserDto, toCreateUserInput } from '../users/dto/create-user.dto';
import { ResetPasswordDto } from '../users/dto/reset-password.dto';
import { toUpdateUserInput, UpdateUserDto } from '../users/dto/update-user.dto';
import { UsersService } from '../users/users.service';
import { AdminErrorsFilter } from './admin-errors.filter';
import { ADMIN_SCOPE, AdminGuard } from './admin.guard';
import { NoStore } from './no-store.interceptor';
import { UserAdmin } from './user-admin.service';
import { presentUser, UserView } from './user.presenter';

/**
 * User administration (docs/admin.md, "Users"), guarded like the client API: the admin
 * credential or an access token with the `admin` scope, then Redis readiness. Passwords
 * come in bodies only (create, reset-password), are never echoed, and the request log
 * redacts `*.password` (observability/logger.options.ts). Bodies are checked with checkDto
 * so one 400 lists the shape problems together with UsersService's own.
 */
@Controller('api/v1/admin/users')
@UseGuards(AdminGuard, RedisReadyGuard)
@RequireScopes(ADMIN_SCOPE)
@UseFilters(AdminErrorsFilter)
@UseInterceptors(NoStore)
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly admin: UserAdmin,
  ) {}

  @Post()
  async create(@Body() body: unknown): Promise<UserView> {
    const { dto, problems } = checkDto(CreateUserDto, body);
    return presentUser(await this.users.create(toCreateUserInput(dto), problems));
  }

  @Get()
  async list(): Promise<{ users: UserView[] }> {
    return { users: (await this.users.list()).map((user) => presentUser(user)) };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<UserView> {
    return presentUser(await this.users.require(id));
  }

  /**
   * `{"disabled": true}` disables the user, ends their sessions and revokes their tokens
   * (`ended_sessions` and `revoked_tokens` say how many), `false` enables; `display_name` too.
   */
  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown): Promise<UserView> {
    const { dto, problems } = checkDto(UpdateUserDto, body);
    const { user, ended } = await this.admin.update(id, toUpdateUserInput(dto), problems);
    return presentUser(user, ended);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  async resetPassword(@Param('id') id: string, @Body() body: unknown): Promise<UserView> {
    const { dto, problems } = checkDto(ResetPasswordDto, body);
    return presentUser(await this.users.resetPassword(id, dto.password, problems));
  }

  /** Revokes every token issued for the user; works after a delete too (to finish one). */
  @Post(':id/revoke-tokens')
  @HttpCode(200)
  revokeTokens(@Param('id') id: string): Promise<{ revoked: number }> {
    return this.admin.revokeTokens(id);
  }

  /** Deletes the user, then ends their sessions and revokes their tokens. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.admin.delete(id);
  }
}
