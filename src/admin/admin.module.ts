import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { AdminClientsController } from './admin-clients.controller';
import { AdminSessionsController } from './admin-sessions.controller';
import { AdminGuard } from './admin.guard';
import { ClientAdmin } from './client-admin.service';

/** The guarded admin API (/api/v1/admin/...). The CLI in cli/ uses ClientsModule directly. */
@Module({
  imports: [ClientsModule, TokensModule, SessionsModule],
  controllers: [AdminClientsController, AdminSessionsController],
  providers: [AdminGuard, ClientAdmin],
})
export class AdminModule {}
