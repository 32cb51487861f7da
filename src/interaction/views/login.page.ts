import { html } from '../../views/html';
import type { PageContent } from '../../views/page-layout';

export interface LoginForm {
  /** Absent for a plain sign-in not started by an application. */
  readonly interaction?: string;
  readonly csrf: string;
  /** The application asking, when there is one. */
  readonly clientName?: string;
  /** Re-filled after a failed attempt; the password never is. */
  readonly username?: string;
  readonly failed?: boolean;
}

/**
 * The sign-in form. A failed attempt shows one message for both fields (no hint whether the
 * username exists), announced by screen readers (role=alert) and tied to the inputs with
 * aria-describedby / aria-invalid.
 */
export function loginPage(form: LoginForm): PageContent {
  const describedBy = form.failed ? 'login-error' : undefined;
  return {
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
      ${form.clientName ? html`<p>to continue to <strong>${form.clientName}</strong></p>` : ''}
      ${form.failed ? html`<div class="alert" role="alert" id="login-error">The username or password is incorrect.</div>` : ''}
      <form method="post" action="/login">
        ${form.interaction ? html`<input type="hidden" name="interaction" value="${form.interaction}" />` : ''}
        <input type="hidden" name="csrf" value="${form.csrf}" />
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          autofocus
          value="${form.username ?? ''}"
          ${invalid(describedBy)}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required${invalid(describedBy)}
        />
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>`,
  };
}

function invalid(describedBy: string | undefined) {
  return describedBy ? html` aria-invalid="true" aria-describedby="${describedBy}"` : '';
}

/** After a sign-in that no application asked for. */
export function signedInPage(name: string): PageContent {
  return {
    title: 'Signed in',
    body: html`<h1>You are signed in</h1>
      <p>
        Signed in as <strong>${name}</strong>. You can close this page or
        <a href="/logout">sign out</a>.
      </p>`,
  };
}
