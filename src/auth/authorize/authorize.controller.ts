import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { readSessionCookie } from '../../sessions/session-cookie';
import { invalidRequest } from '../errors';
import { isFormContentType } from '../form-body';
import type { RawParams } from './authorization-request';
import { AuthorizationFlow, BrowserState, FlowStep } from './authorization-flow.service';
import { readBindingCookie } from './browser-binding';
import { RateLimitPerIp } from '../../ratelimit/rate-limit.decorator';
import { sendErrorPage } from './page-errors';

const notAForm = invalidRequest
  .withHint('A POST authorization request must be application/x-www-form-urlencoded')
  .withRedirect(false);

/**
 * The authorization endpoint (RFC 6749 section 3.1): GET with a query, or POST with the same
 * parameters as a form. Its answers are browser navigations (303 See Other) or HTML error
 * pages, never JSON.
 *
 * Not @node-oauth/oauth2-server's `authorize()`: it redirects every error to the redirect URI
 * it was given (we must show client and redirect URI errors on a page, RFC 6749 section
 * 4.1.2.1), has no notion of a pending interaction, prompt or max_age, and saves codes
 * through its model in steps we could not make atomic with completing the interaction.
 */
@Controller('oauth2')
@RateLimitPerIp()
export class AuthorizeController {
  constructor(
    private readonly flow: AuthorizationFlow,
    private readonly config: AppConfig,
  ) {}

  @Get('authorize')
  async viaQuery(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.run(request, reply, (request.query ?? {}) as RawParams);
  }

  @Post('authorize')
  async viaForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!isFormContentType(request.headers['content-type'])) {
      sendErrorPage(reply, this.config, notAForm);
      return;
    }
    await this.run(request, reply, (request.body ?? {}) as RawParams);
  }

  private async run(request: FastifyRequest, reply: FastifyReply, params: RawParams) {
    try {
      const step = await this.flow.authorize(params, this.browser(request));
      sendStep(reply, this.config, step);
    } catch (err) {
      sendErrorPage(reply, this.config, err);
    }
  }

  private browser(request: FastifyRequest): BrowserState {
    const cookie = request.headers.cookie;
    const { name, secure } = this.config.sessions.cookie;
    return {
      sessionId: readSessionCookie(cookie, name),
      bindingSecret: readBindingCookie(cookie, secure),
    };
  }
}

/** A flow step as an HTTP answer: 303 to the next place, or the error page. */
export function sendStep(
  reply: FastifyReply,
  config: AppConfig,
  step: FlowStep,
  extraCookies: readonly string[] = [],
): void {
  if (step.kind === 'error') {
    sendErrorPage(reply, config, step.error);
    return;
  }
  const cookies = [...extraCookies, ...(step.setCookie ? [step.setCookie] : [])];
  if (cookies.length > 0) void reply.header('set-cookie', cookies);
  void reply
    .status(303)
    .headers({ location: step.location, 'cache-control': 'no-store', pragma: 'no-cache' })
    .send();
}
