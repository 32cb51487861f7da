import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ClientNotFoundError } from '../clients/client.errors';
import { ClientsService } from '../clients/clients.service';
import { CreateClientDto, toCreateClientInput } from '../clients/dto/create-client.dto';
import { toUpdateClientInput, UpdateClientDto } from '../clients/dto/update-client.dto';
import { RedisReadyGuard } from '../redis/redis-ready.guard';
import { RequireScopes } from '../tokens/require-scopes.decorator';
import { AdminErrorsFilter } from './admin-errors.filter';
import { ADMIN_SCOPE, AdminGuard } from './admin.guard';
import { ClientView, presentClient, presentClientWithSecret } from './client.presenter';

/**
 * Client administration (docs/admin.md). Authentication first, then Redis readiness, so
 * an anonymous caller learns nothing about the storage state. Every answer is no-store:
 * they describe credentials, and two of them carry a secret.
 */
@Controller('api/v1/admin/clients')
@UseGuards(AdminGuard, RedisReadyGuard)
@RequireScopes(ADMIN_SCOPE)
@UseFilters(AdminErrorsFilter)
export class AdminClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  async create(@Body() body: CreateClientDto): Promise<ClientView> {
    return presentClientWithSecret(await this.clients.create(toCreateClientInput(body)));
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async list(): Promise<{ clients: ClientView[] }> {
    return { clients: (await this.clients.list()).map(presentClient) };
  }

  @Get(':id')
  @Header('Cache-Control', 'no-store')
  async get(@Param('id') id: string): Promise<ClientView> {
    const client = await this.clients.get(id);
    if (!client) throw new ClientNotFoundError(id);
    return presentClient(client);
  }

  @Patch(':id')
  @Header('Cache-Control', 'no-store')
  async update(@Param('id') id: string, @Body() body: UpdateClientDto): Promise<ClientView> {
    return presentClient(await this.clients.update(id, toUpdateClientInput(body)));
  }

  @Post(':id/rotate-secret')
  @Header('Cache-Control', 'no-store')
  @HttpCode(200)
  async rotate(@Param('id') id: string): Promise<ClientView> {
    return presentClientWithSecret(await this.clients.rotateSecret(id));
  }

  @Delete(':id')
  @Header('Cache-Control', 'no-store')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    if (!(await this.clients.delete(id))) throw new ClientNotFoundError(id);
  }
}
