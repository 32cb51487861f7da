import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { AuthorizationFlow } from '../auth/authorize/authorization-flow.service';
import { sendStep } from '../auth/authorize/authorize.controller';
import { sendErrorPage } from '../auth/authorize/page-errors';
import { AppConfig } from '../config/app-config';
import { METRIC } from '../metrics/metric-names';
import { RateLimitPerIp } from '../ratelimit/rate-limit.decorator';
import { RateLimitService } from '../ratelimit/rate-limit.service';
import { sessionCookie } from '../sessions/session-cookie';
import { SessionsService } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import { originOf, sendPage } from '../views/page-reply';
import { PlainLogin } from './plain-login';
import { browserState, clientContext, field, refuseCrossSitePost } from './page-request';
import { loginPage, signedInPage } from './views/login.page';

/**
 * GET/POST /login. With `interaction` (sent here by /oauth2/authorize) a successful login
 * continues the authorization request; without it, it ends on a "signed in" page. Every
 * post is CSRF-checked before the password is looked at, and charged against the login
 * limit per username and IP (RATE_LIMIT_LOGIN_*, docs/rate-limiting.md) before the password
 * hash is computed. The route itself is limited per IP (RATE_LIMIT_IP_*).
 */
@Controller('login')
@RateLimitPerIp()
export class LoginController {
  constructor(
    private readonly flow: AuthorizationFlow,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly plain: PlainLogin,
    private readonly config: AppConfig,
    private readonly limits: RateLimitService,
    @InjectMetric(METRIC.logins) private readonly logins: Counter<string>,
  ) {}

  @Get()
  async form(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const id = field(request.query, 'interaction');
      const browser = browserState(request, this.config);
      if (id === undefined) {
        const { csrf, setCookie } = this.plain.start(browser.bindingSecret);
        if (setCookie) void reply.header('set-cookie', setCookie);
        this.send(reply, 200, { csrf });
        return;
      }
      const view = await this.flow.view(id, browser.bindingSecret);
      this.send(reply, 200, { interaction: id, csrf: view.csrf, clientName: view.client.name }, [
        view.redirectUri,
      ]);
    } catch (err) {
      sendErrorPage(reply, this.config, err);
    }
  }

  @Post()
  async submit(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      await this.signIn(request, reply);
    } catch (err) {
      sendErrorPage(reply, this.config, err);
    }
  }

  private async signIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    refuseCrossSitePost(request);
    const body = request.body;
    const id = field(body, 'interaction');
    const browser = browserState(request, this.config);
    const csrf = { presented: field(body, 'csrf') };
    const view =
      id === undefined ? undefined : await this.flow.view(id, browser.bindingSecret, csrf);
    if (!view) this.plain.check(browser.bindingSecret, csrf.presented);
    const username = field(body, 'username') ?? '';
    // Over the limit: RateLimitedError, a 429 page; Redis down: 503 (fails closed by default).
    await this.limits.login(username, request.ip);
    const user = await this.users.verifyPassword(username, field(body, 'password') ?? '');
    if (!user) {
      this.logins.inc({ result: 'failed' });
      const form = {
        interaction: id,
        csrf: view?.csrf ?? csrf.presented ?? '',
        username,
        failed: true,
      };
      this.send(
        reply,
        401,
        { ...form, clientName: view?.client.name },
        view ? [view.redirectUri] : [],
      );
      return;
    }
    // The cookie presented (if any) is ended with the new session's creation: no fixation.
    const session = await this.sessions.create(user.id, clientContext(request), {
      replaces: browser.sessionId,
    });
    this.logins.inc({ result: 'ok' });
    const cookie = sessionCookie(this.config.sessions.cookie, session.id, session.expiresAt);
    if (!id) {
      void reply.header('set-cookie', cookie);
      sendPage(
        reply,
        200,
        this.config.interaction.brand,
        signedInPage(user.displayName ?? user.username),
      );
      return;
    }
    const step = await this.flow.continueAfterLogin(id, { ...browser, sessionId: session.id });
    sendStep(reply, this.config, step, [cookie]);
  }

  private send(
    reply: FastifyReply,
    status: number,
    form: Parameters<typeof loginPage>[0],
    redirectUris: readonly string[] = [],
  ): void {
    const formTargets = redirectUris.map(originOf).filter((o): o is string => o !== undefined);
    sendPage(reply, status, this.config.interaction.brand, loginPage(form), { formTargets });
  }
}
