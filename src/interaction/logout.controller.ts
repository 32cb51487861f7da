import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorPage } from '../auth/authorize/page-errors';
import { invalidRequest } from '../auth/errors';
import { AppConfig } from '../config/app-config';
import { clearSessionCookie } from '../sessions/session-cookie';
import { SessionsService } from '../sessions/sessions.service';
import { sendPage } from '../views/page-reply';
import { logoutToken, logoutTokenMatches } from './logout-token';
import { browserState, field, refuseCrossSitePost } from './page-request';
import { loggedOutPage, logoutConfirmPage } from './views/logout.page';

const badCsrf = invalidRequest
  .withHint('The sign-out form could not be verified. Reload the page and try again.')
  .withStatus(403)
  .withRedirect(false);

/** GET /logout asks; POST /logout (CSRF-checked) ends the session and clears its cookie. */
@Controller('logout')
export class LogoutController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async confirm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const { sessionId } = browserState(request, this.config);
      const live = sessionId ? await this.sessions.find(sessionId) : null;
      const brand = this.config.interaction.brand;
      if (!live || !sessionId) sendPage(reply, 200, brand, loggedOutPage());
      else sendPage(reply, 200, brand, logoutConfirmPage(logoutToken(sessionId)));
    } catch (err) {
      sendErrorPage(reply, this.config, err);
    }
  }

  @Post()
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      refuseCrossSitePost(request);
      const { sessionId } = browserState(request, this.config);
      if (sessionId) {
        if (!logoutTokenMatches(sessionId, field(request.body, 'csrf'))) throw badCsrf;
        await this.sessions.end(sessionId);
      }
      void reply.header('set-cookie', clearSessionCookie(this.config.sessions.cookie));
      sendPage(reply, 200, this.config.interaction.brand, loggedOutPage());
    } catch (err) {
      sendErrorPage(reply, this.config, err);
    }
  }
}
