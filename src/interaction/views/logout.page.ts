import { html } from '../../views/html';
import type { PageContent } from '../../views/page-layout';

/** Asks before signing out: a GET never ends a session (a link or prefetch could). */
export function logoutConfirmPage(csrf: string): PageContent {
  return {
    title: 'Sign out',
    body: html`<h1>Sign out?</h1>
      <p>You will need to sign in again to use applications that rely on this account.</p>
      <form method="post" action="/logout">
        <input type="hidden" name="csrf" value="${csrf}" />
        <div class="actions"><button type="submit">Sign out</button></div>
      </form>`,
  };
}

export function loggedOutPage(): PageContent {
  return {
    title: 'Signed out',
    body: html`<h1>You are signed out</h1>
      <p>You can close this page.</p>`,
  };
}
