import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../health/health.module';
import { ManagementCredential } from './management-credential';
import { ManagementController } from './management.controller';
import { ManagementGuard } from './management.guard';
import { ManagementServer } from './management-server';

/**
 * Where the internals (/metrics, /health/dependencies) are served: with MANAGEMENT_PORT on
 * their own listener only (404 on the main port), without it on the main port behind the
 * admin credential. Never public either way (docs/security.md).
 */
@Module({})
export class ManagementModule {
  static forRoot(config: AppConfig): DynamicModule {
    const separatePort = config.management.port !== undefined;
    return {
      module: ManagementModule,
      imports: [HealthModule],
      controllers: separatePort ? [] : [ManagementController],
      providers: separatePort ? [ManagementServer] : [ManagementCredential, ManagementGuard],
      exports: separatePort ? [ManagementServer] : [],
    };
  }
}
