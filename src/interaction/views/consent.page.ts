import { html } from '../../views/html';
import type { PageContent } from '../../views/page-layout';

/** A requested scope, with the operator's description of it when one is configured. */
export interface ConsentScope {
  readonly name: string;
  /** OAUTH_SCOPE_DESCRIPTIONS; escaped like everything else on the page. */
  readonly description?: string;
}

export interface ConsentForm {
  readonly interaction: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly scopes: readonly ConsentScope[];
}

/** The scope name stays visible (it is what the application asked for), the description beside it. */
function scopeItem(scope: ConsentScope) {
  return html`<li>
    <code>${scope.name}</code>${
      scope.description
        ? html` &ndash; <span class="scope-description">${scope.description}</span>`
        : null
    }
  </li>`;
}

/** Asks whether the application may have the listed scopes; Allow is the first button. */
export function consentPage(form: ConsentForm): PageContent {
  return {
    title: 'Allow access',
    body: html`<h1>Allow <span>${form.clientName}</span> access?</h1>
      <p id="scopes-intro">${form.clientName} is asking for:</p>
      ${
        form.scopes.length > 0
          ? html`<ul class="scopes" aria-labelledby="scopes-intro">
              ${form.scopes.map(scopeItem)}
            </ul>`
          : html`<p class="muted">No specific permissions (sign-in only).</p>`
      }
      <form method="post" action="/consent">
        <input type="hidden" name="interaction" value="${form.interaction}" />
        <input type="hidden" name="csrf" value="${form.csrf}" />
        <div class="check">
          <input id="remember" name="remember" type="checkbox" value="on" />
          <label for="remember">Remember this decision</label>
        </div>
        <div class="actions">
          <button type="submit" name="decision" value="allow">Allow</button>
          <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
        </div>
      </form>`,
  };
}
