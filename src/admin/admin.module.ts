import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ConsentsModule } from '../consents/consents.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AdminClientsController } from './admin-clients.controller';
import { AdminConsentsController } from './admin-consents.controller';
import { AdminSessionsController } from './admin-sessions.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminGuard } from './admin.guard';
import { ClientAdmin } from './client-admin.service';
import { UserAdmin } from './user-admin.service';

/**
 * The guarded admin API (/api/v1/admin/...). The CLI in cli/ uses the registries' modules
 * directly.
 */
@Module({
  imports: [ClientsModule, UsersModule, TokensModule, SessionsModule, ConsentsModule],
  controllers: [
    AdminClientsController,
    AdminUsersController,
    AdminSessionsController,
    AdminConsentsController,
  ],
  providers: [AdminGuard, ClientAdmin, UserAdmin],
})
export class AdminModule {}
