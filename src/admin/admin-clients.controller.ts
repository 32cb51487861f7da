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
import { ClientNotFoundError, ClientValidationError } from '../clients/client.errors';
import { ClientsService } from '../clients/clients.service';
import { checkDto } from '../clients/dto/check-dto';
import { CreateClientDto, toCreateClientInput } from '../clients/dto/create-client.dto';
import { RotateSecretDto } from '../clients/dto/rotate-secret.dto';
import { toUpdateClientInput, UpdateClientDto } from '../clients/dto/update-client.dto';
import { RedisReadyGuard } from '../redis/redis-ready.guard';
import { RequireScopes } from '../tokens/require-scopes.decorator';
import { AdminErrorsFilter } from './admin-errors.filter';
import { ADMIN_SCOPE, AdminGuard } from './admin.guard';
import { ClientAdmin } from './client-admin.service';
import { ClientView, presentClient, presentClientWithSecret } from './client.presenter';
import { NoStore } from './no-store.interceptor';

/**
 * Client administration (docs/admin.md). Authentication first, then Redis readiness, so
 * an anonymous caller learns nothing about the storage state. Every answer is no-store:
 * they describe credentials, and two of them carry a secret.
 *
 * Bodies are typed `unknown`, so the global ValidationPipe (which validates class-typed
 * parameters only) leaves them alone, and each handler checks its DTO with checkDto (the
 * same class-validator rules) instead. The pipe would throw on the shape problems alone;
 * here ClientsService adds the problems of meaning (unconfigured scopes, redirect URI
 * rules, ...) to them, so one 400 lists every problem of the request.
 */
@Controller('api/v1/admin/clients')
@UseGuards(AdminGuard, RedisReadyGuard)
@RequireScopes(ADMIN_SCOPE)
@UseFilters(AdminErrorsFilter)
@UseInterceptors(NoStore)
export class AdminClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly admin: ClientAdmin,
  ) {}

  @Post()
  async create(@Body() body: unknown): Promise<ClientView> {
    const { dto, problems } = checkDto(CreateClientDto, body);
    return presentClientWithSecret(await this.clients.create(toCreateClientInput(dto), problems));
  }

  @Get()
  async list(): Promise<{ clients: ClientView[] }> {
    return { clients: (await this.clients.list()).map(presentClient) };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<ClientView> {
    const client = await this.clients.get(id);
    if (!client) throw new ClientNotFoundError(id);
    return presentClient(client);
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown): Promise<ClientView> {
    const { dto, problems } = checkDto(UpdateClientDto, body);
    return presentClient(await this.clients.update(id, toUpdateClientInput(dto), problems));
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(@Param('id') id: string, @Body() body: unknown): Promise<ClientView> {
    // No body at all is the same as `{}`: the configured grace period.
    const { dto, problems } = checkDto(RotateSecretDto, body === undefined ? {} : body);
    if (problems.length > 0) throw new ClientValidationError(problems);
    const rotated = await this.clients.rotateSecret(id, { graceSeconds: dto.grace_seconds });
    return presentClientWithSecret(rotated);
  }

  @Post(':id/revoke-tokens')
  @HttpCode(200)
  revokeTokens(@Param('id') id: string): Promise<{ revoked: number }> {
    return this.admin.revokeTokens(id);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.admin.delete(id);
  }
}
