import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AdminClientsController } from './admin-clients.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminGuard } from './admin.guard';
import { ClientAdmin } from './client-admin.service';
import { UserAdmin } from './user-admin.service';

/**
 * The guarded admin API (/api/v1/admin/...). The CLI in cli/ uses ClientsModule and
 * UsersModule directly.
 */
@Module({
  imports: [ClientsModule, UsersModule, TokensModule],
  controllers: [AdminClientsController, AdminUsersController],
  providers: [AdminGuard, ClientAdmin, UserAdmin],
})
export class AdminModule {}
