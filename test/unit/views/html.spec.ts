import { escapeHtml, html } from '../../../src/views/html';
import { errorPage } from '../../../src/views/error-page';
import { renderPage } from '../../../src/views/page-layout';
import { consentPage } from '../../../src/interaction/views/consent.page';
import { loginPage } from '../../../src/interaction/views/login.page';

const brand = { name: 'Acme <b>', primaryColor: '#123456', backgroundColor: 'red;}' };

describe('html escaping', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes interpolated values but keeps nested templates as markup', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${'"'}${['<', html`<br />`]}</p>`.text).toBe(
      '<p><b>&lt;i&gt;</b>&quot;&lt;<br /></p>',
    );
  });

  it('renders nothing for null, undefined and false', () => {
    expect(html`[${null}${undefined}${false}]`.text).toBe('[]');
  });
});

describe('the consent page', () => {
  const form = {
    interaction: 'i',
    csrf: 'c',
    clientName: 'Billing',
    scopes: [
      { name: 'openid', description: 'Sign you in & know who you are' },
      { name: 'cache:read' },
    ],
  };

  it('shows each scope name, with its configured description beside it, escaped', () => {
    const page = consentPage(form).body.text;
    const items = [...page.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
      m[1].replace(/\s+/g, ' ').trim(),
    );
    expect(items).toEqual([
      '<code>openid</code> &ndash; <span class="scope-description">Sign you in &amp; know who you are</span>',
      '<code>cache:read</code>',
    ]);
  });

  it('says so when no scope is requested', () => {
    expect(consentPage({ ...form, scopes: [] }).body.text).toContain('No specific permissions');
  });
});

describe('pages', () => {
  it('escape client names, scopes and usernames, and the brand', () => {
    const consent = consentPage({
      interaction: 'i',
      csrf: 'c',
      clientName: '<script>alert(1)</script>',
      scopes: [{ name: '"><img src=x>' }, { name: 'x', description: '<img src=y onerror=z>' }],
    }).body.text;
    expect(consent).not.toContain('<script>');
    expect(consent).not.toContain('<img');
    const login = loginPage({ csrf: 'c', username: '"><svg onload=x>', failed: true }).body.text;
    expect(login).not.toContain('<svg');
    expect(login).toContain('aria-invalid="true"');
    const page = renderPage(brand, 'n0nce', errorPage({ error: 'x', description: '<b>' }));
    expect(page).toContain('Acme &lt;b&gt;');
    expect(page).not.toContain('<b>');
    // A colour that is not a validated hex value never reaches the stylesheet.
    expect(page).not.toContain('red;}');
    expect(page).toContain('<style nonce="n0nce">');
    expect(page).toContain('<html lang="en">');
  });
});
