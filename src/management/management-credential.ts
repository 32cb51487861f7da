import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/**
 * The admin credential (ADMIN_TOKEN) as `Authorization: Bearer <token>`, for the management
 * endpoints when they share the main port. Kept apart from the admin API's guard (src/admin)
 * so health and metrics do not depend on the admin module.
 */
@Injectable()
export class ManagementCredential {
  private readonly digest?: Buffer;

  constructor(config: AppConfig) {
    const token = config.oauth.adminToken;
    this.digest = token ? sha256(token) : undefined;
  }

  /** Constant time: both sides are hashed to equal-length digests before comparing. */
  accepts(authorization: string | undefined): boolean {
    const token = /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
    return (
      token !== undefined &&
      this.digest !== undefined &&
      timingSafeEqual(sha256(token), this.digest)
    );
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
