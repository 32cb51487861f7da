import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { ClientsService } from '../../clients/clients.service';
import type { OAuthClient } from '../../clients/client.types';
import { AppConfig } from '../../config/app-config';
import { ConsentsService } from '../../consents/consents.service';
import { METRIC } from '../../metrics/metric-names';
import { SessionsService } from '../../sessions/sessions.service';
import type { Session } from '../../sessions/session.types';
import { TokensService } from '../../tokens/tokens.service';
import {
  accessDenied,
  consentRequired,
  invalidRequest,
  loginRequired,
  OAuthError,
} from '../errors';
import {
  AuthorizationRequest,
  checkAuthorizationRequest,
  checkClientAndRedirect,
  RawParams,
  stateOf,
} from './authorization-request';
import { errorResponseUrl, responseUrl } from './authorization-response';
import { Interactions, LiveInteraction } from './interactions';

/** Where the browser goes next (always a 303 See Other), or the error page. */
export type FlowStep =
  | { readonly kind: 'redirect'; readonly location: string; readonly setCookie?: string }
  | { readonly kind: 'error'; readonly error: OAuthError };

/** What the browser presented: its session cookie and interaction binding cookie. */
export interface BrowserState {
  readonly sessionId?: string;
  readonly bindingSecret?: string;
}

/** An interaction as the login and consent pages show it. */
export interface InteractionView {
  readonly id: string;
  readonly csrf: string;
  readonly client: { readonly id: string; readonly name: string };
  readonly scope: readonly string[];
  /** Where the client gets its answer: the pages' CSP allows forms to end up there. */
  readonly redirectUri: string;
}

const alreadyCompleted = invalidRequest
  .withHint('This sign-in request was already completed. Go back to the application.')
  .withRedirect(false);
const clientGone = invalidRequest.withHint('The client is unknown').withRedirect(false);

/**
 * The authorization code flow (RFC 6749 section 4.1) between the authorize endpoint and the
 * interaction pages: validates the request, decides whether the user must sign in or
 * consent, keeps pending requests as interactions, and issues the code. Every public method
 * answers where the browser goes next.
 */
@Injectable()
export class AuthorizationFlow {
  constructor(
    private readonly clients: ClientsService,
    private readonly sessions: SessionsService,
    private readonly consents: ConsentsService,
    private readonly tokens: TokensService,
    private readonly interactions: Interactions,
    private readonly config: AppConfig,
    @InjectMetric(METRIC.consents) private readonly consentDecisions: Counter<string>,
  ) {}

  /** GET/POST /oauth2/authorize. */
  async authorize(params: RawParams, browser: BrowserState): Promise<FlowStep> {
    const clientId = params.client_id;
    const found = typeof clientId === 'string' ? await this.clients.get(clientId) : null;
    let trusted: { client: OAuthClient; redirectUri: string };
    try {
      trusted = checkClientAndRedirect(params, found);
    } catch (err) {
      return { kind: 'error', error: err as OAuthError };
    }
    let request: AuthorizationRequest;
    try {
      request = checkAuthorizationRequest(params, trusted.client, trusted.redirectUri);
    } catch (err) {
      return this.redirectError(trusted.redirectUri, err as OAuthError, stateOf(params));
    }
    const session = await this.sessions.find(browser.sessionId);
    return this.proceed(request, session, browser, undefined);
  }

  /** The interaction for the login or consent page (CSRF checked when `csrf` is given). */
  async view(
    id: unknown,
    bindingSecret: string | undefined,
    csrf?: { readonly presented: unknown },
  ): Promise<InteractionView> {
    const interaction = await this.interactions.load(id, bindingSecret, csrf);
    const client = await this.clients.get(interaction.request.clientId);
    if (!client) throw clientGone;
    return {
      id: interaction.id,
      csrf: interaction.csrf,
      client: { id: client.id, name: client.name },
      scope: interaction.request.scope,
      redirectUri: interaction.request.redirectUri,
    };
  }

  /** After a successful login (the session was just created): consent or the code. */
  async continueAfterLogin(id: string, browser: BrowserState): Promise<FlowStep> {
    const interaction = await this.interactions.load(id, browser.bindingSecret);
    const session = await this.sessions.find(browser.sessionId);
    return this.proceed(interaction.request, session, browser, interaction);
  }

  /** POST /consent: allow (optionally remembered) or deny. CSRF checked by the caller's view(). */
  async decideConsent(
    id: string,
    browser: BrowserState,
    decision: { readonly allow: boolean; readonly remember: boolean },
  ): Promise<FlowStep> {
    const interaction = await this.interactions.load(id, browser.bindingSecret);
    const { request } = interaction;
    const session = await this.sessions.find(browser.sessionId);
    // Straight to /consent without the sign-in the request asked for: back to the login page.
    if (!session || !this.signInFresh(request, session, interaction)) {
      return this.proceed(request, session, browser, interaction);
    }
    if (!decision.allow) {
      this.consentDecisions.inc({ decision: 'denied' });
      if (!(await this.interactions.complete(id)))
        return { kind: 'error', error: alreadyCompleted };
      const denied = accessDenied.withHint('The user denied the request');
      return this.redirectError(request.redirectUri, denied, request.state);
    }
    this.consentDecisions.inc({ decision: 'granted' });
    if (decision.remember) {
      await this.consents.remember(session.userId, request.clientId, request.scope);
    }
    return this.issue(request, session, interaction);
  }

  /**
   * The decision: sign-in needed (none, too old for max_age, or prompt=login not yet
   * satisfied) -> login page; consent not remembered or prompt=consent -> consent page;
   * otherwise the code. With prompt=none the pages are errors instead (OIDC Core 3.1.2.6).
   */
  private async proceed(
    request: AuthorizationRequest,
    session: Session | null,
    browser: BrowserState,
    interaction: LiveInteraction | undefined,
  ): Promise<FlowStep> {
    const none = request.prompt.includes('none');
    if (!session || !this.signInFresh(request, session, interaction)) {
      if (none) return this.endWithError(request, loginRequired, interaction);
      return this.toPage('login', request, browser, interaction);
    }
    // Sent in the same tick, so auto-pipelining makes them one Redis round trip.
    const [, remembered] = await Promise.all([
      this.sessions.touch(browser.sessionId),
      request.prompt.includes('consent')
        ? false
        : this.consents.covers(session.userId, request.clientId, request.scope),
    ]);
    if (!remembered) {
      if (none) return this.endWithError(request, consentRequired, interaction);
      return this.toPage('consent', request, browser, interaction);
    }
    this.consentDecisions.inc({ decision: 'remembered' });
    return this.issue(request, session, interaction);
  }

  /**
   * A sign-in that happened after the interaction started always counts (so prompt=login
   * and max_age=0 cannot loop); otherwise prompt=login needs one, and max_age bounds its age.
   */
  private signInFresh(
    request: AuthorizationRequest,
    session: Session,
    interaction: LiveInteraction | undefined,
  ): boolean {
    const authMs = session.authTime.getTime();
    // auth_time has whole seconds; the session's creation (ms) tells a login in that second apart.
    const signedInSince = (since: number) =>
      authMs >= Math.floor(since / 1000) * 1000 && session.createdAt.getTime() >= since;
    if (interaction && signedInSince(interaction.createdAtMs)) return true;
    if (request.prompt.includes('login')) return false;
    return request.maxAge === undefined || Date.now() - authMs <= request.maxAge * 1000;
  }

  private async toPage(
    page: 'login' | 'consent',
    request: AuthorizationRequest,
    browser: BrowserState,
    interaction: LiveInteraction | undefined,
  ): Promise<FlowStep> {
    if (interaction) {
      return { kind: 'redirect', location: `/${page}?interaction=${interaction.id}` };
    }
    const started = await this.interactions.start(request, browser.bindingSecret);
    return {
      kind: 'redirect',
      location: `/${page}?interaction=${started.id}`,
      setCookie: started.setCookie,
    };
  }

  /** RFC 6749 section 4.1.2: a single-use code bound to everything the request said. */
  private async issue(
    request: AuthorizationRequest,
    session: Session,
    interaction: LiveInteraction | undefined,
  ): Promise<FlowStep> {
    if (interaction && !(await this.interactions.complete(interaction.id))) {
      return { kind: 'error', error: alreadyCompleted };
    }
    const { code } = await this.tokens.saveAuthorizationCode(
      {
        clientId: request.clientId,
        userId: session.userId,
        scope: request.scope,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        codeChallengeMethod: request.codeChallengeMethod,
        authTime: Math.floor(session.authTime.getTime() / 1000),
      },
      this.config.oauth.authCodeTtlSeconds,
    );
    const location = responseUrl(request.redirectUri, this.config.oauth.issuer, {
      code,
      state: request.state,
    });
    return { kind: 'redirect', location };
  }

  private async endWithError(
    request: AuthorizationRequest,
    err: OAuthError,
    interaction: LiveInteraction | undefined,
  ): Promise<FlowStep> {
    if (interaction) await this.interactions.complete(interaction.id);
    return this.redirectError(request.redirectUri, err, request.state);
  }

  private redirectError(redirectUri: string, err: OAuthError, state: string | undefined): FlowStep {
    const location = errorResponseUrl(redirectUri, this.config.oauth.issuer, err, state);
    return { kind: 'redirect', location };
  }
}
