import { Module } from '@nestjs/common';
import { ClientBootstrap } from './client-bootstrap';
import { ClientStore } from './client.store';
import { ClientsService } from './clients.service';
import { RedisClientStore } from './redis-client.store';

/**
 * The OAuth2 client registry (auth:client:*). Depends only on the global Config and
 * Redis modules. Also applies the bootstrap file, when one is configured.
 */
@Module({
  providers: [
    { provide: ClientStore, useClass: RedisClientStore },
    ClientsService,
    ClientBootstrap,
  ],
  exports: [ClientsService],
})
export class ClientsModule {}
