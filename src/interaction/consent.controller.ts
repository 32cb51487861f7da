import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizationFlow } from '../auth/authorize/authorization-flow.service';
import { sendStep } from '../auth/authorize/authorize.controller';
import { sendErrorPage } from '../auth/authorize/page-errors';
import { invalidRequest } from '../auth/errors';
import { AppConfig } from '../config/app-config';
import { SessionsService } from '../sessions/sessions.service';
import { originOf, sendPage } from '../views/page-reply';
import { browserState, field, refuseCrossSitePost } from './page-request';
import { RateLimitPerIp } from '../ratelimit/rate-limit.decorator';
import { consentPage } from './views/consent.page';

const badDecision = invalidRequest
  .withHint('The consent form must say allow or deny')
  .withRedirect(false);

/**
 * GET/POST /consent. A page of its own rather than ARCHITECTURE.md's "POST /oauth2/authorize
 * for consent": the authorize endpoint takes authorization requests (RFC 6749 section 3.1
 * allows POST for exactly that), and mixing a second form into it would make every POST
 * ambiguous. The decision is CSRF-checked and bound to the interaction's browser.
 */
@Controller('consent')
@RateLimitPerIp()
export class ConsentController {
  constructor(
    private readonly flow: AuthorizationFlow,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async form(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const id = field(request.query, 'interaction');
      const browser = browserState(request, this.config);
      const view = await this.flow.view(id, browser.bindingSecret);
      if (!(await this.sessions.find(browser.sessionId))) {
        sendStep(reply, this.config, {
          kind: 'redirect',
          location: `/login?interaction=${view.id}`,
        });
        return;
      }
      const origin = originOf(view.redirectUri);
      sendPage(
        reply,
        200,
        this.config.interaction.brand,
        consentPage({
          interaction: view.id,
          csrf: view.csrf,
          clientName: view.client.name,
          scopes: view.scope.map((name) => ({
            name,
            description: this.config.interaction.scopeDescriptions.get(name),
          })),
        }),
        { formTargets: origin ? [origin] : [] },
      );
    } catch (err) {
      sendErrorPage(reply, this.config, err);
    }
  }

  @Post()
  async decide(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      refuseCrossSitePost(request);
      const body = request.body;
      const browser = browserState(request, this.config);
      const view = await this.flow.view(field(body, 'interaction'), browser.bindingSecret, {
        presented: field(body, 'csrf'),
      });
      const decision = field(body, 'decision');
      if (decision !== 'allow' && decision !== 'deny') throw badDecision;
      const step = await this.flow.decideConsent(view.id, browser, {
        allow: decision === 'allow',
        remember: field(body, 'remember') === 'on',
      });
      sendStep(reply, this.config, step);
    } catch (err) {
      sendErrorPage(reply, this.config, err);
    }
  }
}
