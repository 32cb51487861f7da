import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { StaticBearerCredential } from '../security/secrets';

/**
 * The admin credential (ADMIN_TOKEN) as `Authorization: Bearer <token>`, for the management
 * endpoints when they share the main port (compared in constant time). Health and metrics
 * do not depend on the admin module; both use security/secrets.ts.
 */
@Injectable()
export class ManagementCredential {
  private readonly credential: StaticBearerCredential;

  constructor(config: AppConfig) {
    this.credential = new StaticBearerCredential(config.oauth.adminToken);
  }

  accepts(authorization: string | undefined): boolean {
    return this.credential.accepts(authorization);
  }
}
