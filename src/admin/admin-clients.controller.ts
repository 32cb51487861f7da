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
import {
  readCreateClientBody,
  readRotateSecretBody,
  readUpdateClientBody,
} from '../clients/dto/client-body';
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
 * Bodies arrive as plain JSON (`unknown`: the global ValidationPipe leaves them alone) and
 * are read by dto/client-body.ts, whose problems ClientsService reports together with its
 * own, so a 400 lists every problem of the request at once.
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
    const { input, problems } = readCreateClientBody(body);
    return presentClientWithSecret(await this.clients.create(input, problems));
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
    const { input, problems } = readUpdateClientBody(body);
    return presentClient(await this.clients.update(id, input, problems));
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(@Param('id') id: string, @Body() body: unknown): Promise<ClientView> {
    const { input, problems } = readRotateSecretBody(body);
    if (problems.length > 0) throw new ClientValidationError(problems);
    return presentClientWithSecret(await this.clients.rotateSecret(id, input));
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
