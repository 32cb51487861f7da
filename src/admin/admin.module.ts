import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { TokensModule } from '../tokens/tokens.module';
import { AdminClientsController } from './admin-clients.controller';
import { AdminGuard } from './admin.guard';
import { ClientAdmin } from './client-admin.service';

/** The guarded admin API (/api/v1/admin/...). The CLI in cli/ uses ClientsModule directly. */
@Module({
  imports: [ClientsModule, TokensModule],
  controllers: [AdminClientsController],
  providers: [AdminGuard, ClientAdmin],
})
export class AdminModule {}
