import { html } from './html';
import type { PageContent } from './page-layout';

/** What went wrong, as the error page shows it: the RFC 6749 code and its description. */
export interface PageError {
  readonly error: string;
  readonly description: string;
}

/**
 * The page for errors that cannot go back to the client (unknown client, unregistered
 * redirect URI, expired interaction, CSRF failure, outage): RFC 6749 section 4.1.2.1 forbids
 * redirecting to an unverified URI, so the user is told here.
 */
export function errorPage(err: PageError): PageContent {
  return {
    title: 'Sign-in error',
    body: html`<h1>Something went wrong</h1>
      <div class="alert" role="alert">
        <p><strong>${err.description}</strong></p>
        <p class="muted">Error code: <code>${err.error}</code></p>
      </div>
      <p>Go back to the application you came from and start again.</p>`,
  };
}
