import { Html, html } from './html';

/** Brand settings the pages use (InteractionConfig.brand; colours are validated hex). */
export interface Brand {
  readonly name: string;
  readonly primaryColor: string;
  readonly backgroundColor: string;
}

export interface PageContent {
  readonly title: string;
  readonly body: Html;
}

/** Colours come from validated config (`#rgb`/`#rrggbb`); anything else falls back. */
const hex = (value: string, fallback: string): string =>
  /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value) ? value : fallback;

/**
 * The stylesheet: one small inline block, allowed by the page's CSP nonce. Focus is always
 * visible (WCAG 2.4.7); the layout is one readable column that works from 320 px up.
 */
function stylesheet(brand: Brand): string {
  const primary = hex(brand.primaryColor, '#1f5fbf');
  const background = hex(brand.backgroundColor, '#f5f7fa');
  return `
:root{--primary:${primary};--bg:${background};--text:#1b1f24;--muted:#57606a;--error:#b42318}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:26rem;margin:1rem;padding:2rem;background:#fff;border-radius:.75rem;
box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}
.brand{margin:0 0 1.5rem;font-size:.95rem;font-weight:600;color:var(--primary);letter-spacing:.02em}
h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.25}
p{margin:0 0 1rem}
label{display:block;margin:0 0 .25rem;font-weight:600}
input[type=text],input[type=password]{width:100%;margin:0 0 1rem;padding:.625rem .75rem;
font:inherit;border:1px solid #8c959f;border-radius:.375rem}
input[aria-invalid=true]{border-color:var(--error)}
.check{display:flex;gap:.5rem;align-items:center;margin:0 0 1.25rem}
.check label{margin:0;font-weight:400}
.actions{display:flex;gap:.75rem;flex-wrap:wrap}
button{flex:1;padding:.625rem 1rem;font:inherit;font-weight:600;border-radius:.375rem;cursor:pointer;
border:1px solid var(--primary);background:var(--primary);color:#fff}
button.secondary{background:#fff;color:var(--primary)}
:focus-visible{outline:3px solid var(--primary);outline-offset:2px}
.alert{margin:0 0 1rem;padding:.75rem;border-radius:.375rem;background:#fef3f2;color:var(--error);
border:1px solid #fda29b}
ul.scopes{margin:0 0 1.25rem;padding-left:1.25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
.muted{color:var(--muted);font-size:.9rem}
`;
}

/** A whole page: lang, viewport, title, the brand line and one `main` landmark. */
export function renderPage(brand: Brand, nonce: string, page: PageContent): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${page.title} · ${brand.name}</title>
        <style nonce="${nonce}">
          ${new Html(stylesheet(brand))}
        </style>
      </head>
      <body>
        <main>
          <p class="brand">${brand.name}</p>
          ${page.body}
        </main>
      </body>
    </html> `.text;
}
