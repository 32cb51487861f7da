import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { sha256Hex } from '../../security/secrets';
import { invalidRequest } from '../errors';
import type { AuthorizationRequest } from './authorization-request';
import {
  bindingCookie,
  bindingDigest,
  csrfToken,
  isSecretShape,
  newSecret,
  sameSecret,
} from './browser-binding';
import { InteractionRecord, InteractionStore } from './interaction.store';

/** A loaded interaction, checked against the browser presenting it. */
export interface LiveInteraction extends InteractionRecord {
  readonly id: string;
  /** The CSRF token this browser's forms for this interaction must carry. */
  readonly csrf: string;
}

const unknownInteraction = invalidRequest
  .withHint(
    'This sign-in request has expired or is unknown. Go back to the application and start again.',
  )
  .withRedirect(false);
const otherBrowser = invalidRequest
  .withHint(
    'This sign-in request was started in another browser. Go back to the application and start again.',
  )
  .withStatus(403)
  .withRedirect(false);
const badCsrf = invalidRequest
  .withHint(
    'The form could not be verified (missing or wrong CSRF token). Reload the page and try again.',
  )
  .withStatus(403)
  .withRedirect(false);

/**
 * Pending authorization requests: started by /oauth2/authorize, continued by the login and
 * consent pages, completed once. Every access checks the browser binding; form posts also
 * check the CSRF token (both in constant time).
 */
@Injectable()
export class Interactions {
  constructor(
    private readonly store: InteractionStore,
    private readonly config: AppConfig,
  ) {}

  /** Starts one; returns its id and the binding cookie to (re)set on this browser. */
  async start(
    request: AuthorizationRequest,
    presentedBinding: string | undefined,
  ): Promise<{ id: string; setCookie: string }> {
    const id = newSecret();
    const binding = isSecretShape(presentedBinding) ? presentedBinding : newSecret();
    const ttlSeconds = this.config.interaction.ttlSeconds;
    await this.store.save(
      sha256Hex(id),
      { request, createdAtMs: Date.now(), bindingDigest: bindingDigest(binding) },
      ttlSeconds,
    );
    const settings = { secure: this.config.sessions.cookie.secure, maxAgeSeconds: ttlSeconds };
    return { id, setCookie: bindingCookie(settings, binding) };
  }

  /**
   * The interaction for this browser; with `csrf` (a form post), the token must match too.
   * Throws an OAuthError for the error page: 400 unknown/expired, 403 wrong browser or CSRF.
   */
  async load(
    id: unknown,
    binding: string | undefined,
    csrf?: { readonly presented: unknown },
  ): Promise<LiveInteraction> {
    if (!isSecretShape(id)) throw unknownInteraction;
    const record = await this.store.find(sha256Hex(id));
    if (!record) throw unknownInteraction;
    if (!binding || !sameSecret(bindingDigest(binding), record.bindingDigest)) throw otherBrowser;
    const expected = csrfToken(id, binding);
    if (csrf && !sameSecret(typeof csrf.presented === 'string' ? csrf.presented : '', expected)) {
      throw badCsrf;
    }
    return { ...record, id, csrf: expected };
  }

  /** Completes it: true for exactly one caller (a double submit gets false). */
  complete(id: string): Promise<boolean> {
    return this.store.complete(sha256Hex(id));
  }
}
