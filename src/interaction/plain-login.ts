import { Injectable } from '@nestjs/common';
import {
  bindingCookie,
  csrfToken,
  isSecretShape,
  newSecret,
  sameSecret,
} from '../auth/authorize/browser-binding';
import { invalidRequest } from '../auth/errors';
import { AppConfig } from '../config/app-config';

const badCsrf = invalidRequest
  .withHint(
    'The form could not be verified (missing or wrong CSRF token). Reload the page and try again.',
  )
  .withStatus(403)
  .withRedirect(false);

/** The id the CSRF token of a plain sign-in (no interaction) is derived for. */
const PLAIN_LOGIN = 'plain-login';

/**
 * CSRF protection of a sign-in no application started (login CSRF: a forged post could sign
 * the victim in as the attacker): the token is derived from the browser-binding cookie,
 * which this page sets when the browser has none.
 */
@Injectable()
export class PlainLogin {
  constructor(private readonly config: AppConfig) {}

  start(binding: string | undefined): { csrf: string; setCookie?: string } {
    if (isSecretShape(binding)) return { csrf: csrfToken(PLAIN_LOGIN, binding) };
    const fresh = newSecret();
    const settings = {
      secure: this.config.sessions.cookie.secure,
      maxAgeSeconds: this.config.interaction.ttlSeconds,
    };
    return { csrf: csrfToken(PLAIN_LOGIN, fresh), setCookie: bindingCookie(settings, fresh) };
  }

  check(binding: string | undefined, presented: string | undefined): void {
    if (!binding || !sameSecret(presented, csrfToken(PLAIN_LOGIN, binding))) throw badCsrf;
  }
}
