import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { RedisReadyGuard } from '../redis/redis-ready.guard';
import { SessionsService } from '../sessions/sessions.service';
import type { Session } from '../sessions/session.types';
import { RequireScopes } from '../tokens/require-scopes.decorator';
import { ADMIN_SCOPE, AdminGuard } from './admin.guard';
import { NoStore } from './no-store.interceptor';

/** User ids as path segments: printable, no separators, bounded (they become key names). */
const USER_ID = /^[A-Za-z0-9._~@+-]{1,128}$/;
const HANDLE = /^[0-9a-f]{64}$/;

export interface SessionView {
  handle: string;
  user_id: string;
  auth_time: string;
  created_at: string;
  last_activity: string;
  expires_at: string;
  user_agent: string;
  ip: string;
  consents: Record<string, readonly string[]>;
}

const present = (s: Session): SessionView => ({
  handle: s.handle,
  user_id: s.userId,
  auth_time: s.authTime.toISOString(),
  created_at: s.createdAt.toISOString(),
  last_activity: s.lastActivity.toISOString(),
  expires_at: s.expiresAt.toISOString(),
  user_agent: s.userAgent,
  ip: s.ip,
  consents: { ...s.consents },
});

function checkUserId(userId: string): string {
  if (!USER_ID.test(userId)) {
    throw new BadRequestException({
      error: 'invalid_request',
      error_description: 'user id must be 1-128 characters of A-Z a-z 0-9 . _ ~ @ + -',
    });
  }
  return userId;
}

/**
 * A user's browser sessions (docs/admin.md): list them, end one by its handle (the digest,
 * never the session id), or end them all. Needs only the user id, so it works before and
 * independently of the users module. Guarded like the client API; answers are no-store.
 */
@Controller('api/v1/admin/users/:userId/sessions')
@UseGuards(AdminGuard, RedisReadyGuard)
@RequireScopes(ADMIN_SCOPE)
@UseInterceptors(NoStore)
export class AdminSessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  async list(@Param('userId') userId: string): Promise<{ sessions: SessionView[] }> {
    return { sessions: (await this.sessions.listForUser(checkUserId(userId))).map(present) };
  }

  @Delete()
  @HttpCode(200)
  async endAll(@Param('userId') userId: string): Promise<{ ended: number }> {
    return { ended: await this.sessions.endAllForUser(checkUserId(userId)) };
  }

  @Delete(':handle')
  @HttpCode(204)
  async endOne(@Param('userId') userId: string, @Param('handle') handle: string): Promise<void> {
    const ended =
      HANDLE.test(handle) && (await this.sessions.endByHandle(checkUserId(userId), handle));
    if (!ended) {
      throw new NotFoundException({ error: 'not_found', error_description: 'no such session' });
    }
  }
}
