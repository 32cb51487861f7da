/**
 * Open redirects: every near miss of a registered redirect URI (RFC 9700 section 4.1: exact
 * string matching; section 2.1: no pattern or prefix) is shown on the HTML error page and
 * never answered with a redirect, by GET and by POST. The only variation allowed is the port
 * of a loopback IP URI of a public (native) client (RFC 8252 section 7.3), and only in its
 * canonical spelling. Neither /login nor /logout takes a return address (no return_to or
 * next parameter), so they cannot be turned into redirectors either.
 */
import { domainToASCII } from 'node:url';
import { createClient, pkcePair, REDIRECT_URI } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { Browser, inputValue } from '../authorize/browser';
import { authorizeUrl, createUser, PASSWORD, startFlowApp } from '../authorize/flow-support';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let web: { id: string; secret: string };
let native: { id: string; secret: string };
let confidentialLoopback: { id: string; secret: string };
const { challenge } = pkcePair();

beforeAll(async () => {
  running = await startFlowApp(topology().env());
  web = await createClient(running);
  const loopback = { redirectUris: ['http://127.0.0.1/cb', 'http://[::1]/cb'] };
  native = await createClient(running, {
    ...loopback,
    type: 'public',
    grantTypes: ['authorization_code'],
  });
  confidentialLoopback = await createClient(running, loopback);
});
afterAll(() => running?.close());

/** Near misses of https://app.example.com/callback. */
const WEB_VARIANTS: readonly string[] = [
  'https://app.example.com/callback/',
  'https://app.example.com/callbackx',
  'https://app.example.com/callback/more',
  'https://app.example.com/callback/../callback',
  'https://app.example.com/./callback',
  'https://app.example.com//callback',
  'https://app.example.com/Callback',
  'https://app.example.com/%63allback',
  'https://app.example.com/callback%2F..%2F..%2Fevil',
  'https://app.example.com/callback?next=https://evil.example/',
  'https://app.example.com/callback?',
  'https://app.example.com/callback#',
  'https://app.example.com/callback#https://evil.example/',
  'https://APP.EXAMPLE.COM/callback',
  'HTTPS://app.example.com/callback',
  'http://app.example.com/callback',
  'https://app.example.com./callback',
  'https://app.example.com:443/callback',
  'https://app.example.com:8443/callback',
  'https://app.example.com@evil.example/callback',
  'https://app.example.com:443@evil.example/callback',
  'https://evil.example@app.example.com/callback',
  'https://app.example.com.evil.example/callback',
  'https://evilapp.example.com/callback',
  'https://app.example.com\\@evil.example/callback',
  'https://app.example.com\\.evil.example/callback',
  'https://app.example.com%2F@evil.example/callback',
  'https://app.example.com%252F@evil.example/callback',
  'https:app.example.com/callback',
  'https:/app.example.com/callback',
  'https:///app.example.com/callback',
  '//app.example.com/callback',
  '//evil.example/callback',
  '/\\evil.example/callback',
  '/callback',
  'https://app.example.com/call\tback',
  'https://app.example.com/callback\n',
  ' https://app.example.com/callback',
  'https://app.example.com/callback ',
  `https://${domainToASCII('\u0430pp.example.com')}/callback`, // Cyrillic a, as punycode
  'https://\u0430pp.example.com/callback', // Cyrillic a, as Unicode
  'https://app.example.com\u3002evil.example/callback', // ideographic full stop
  'javascript:alert(1)//https://app.example.com/callback',
  'data:text/html,https://app.example.com/callback',
  'https://evil.example/callback',
];

/** Near misses of http://127.0.0.1/cb for a public client (any port is fine, nothing else). */
const LOOPBACK_VARIANTS: readonly string[] = [
  'http://localhost:8080/cb',
  'http://127.0.0.2:8080/cb',
  'http://127.0.0.1.evil.example:8080/cb',
  'http://127.0.0.1:8080@evil.example/cb',
  'http://evil.example#@127.0.0.1:8080/cb',
  'http://evil.example?@127.0.0.1:8080/cb',
  'http://127.0.0.1:8080\\@evil.example/cb',
  'https://127.0.0.1:8080/cb',
  'http://127.0.0.1:8080/cb/extra',
  'http://127.0.0.1:8080/cb?x=1',
  'http://127.0.0.1:8080/cb#x',
  'http://user@127.0.0.1:8080/cb',
  'http://127.0.0.1:8080/CB',
  // Spellings the URL parser would normalise to the registered host or path: refused too,
  // the request must name the URI as registered, port aside.
  'http://0x7f.0.0.1:8080/cb',
  'http://127.1:8080/cb',
  'http://2130706433:8080/cb',
  'http://[0:0:0:0:0:0:0:1]:8080/cb',
  'http://127.0.0.1:08080/cb',
  'http://127.0.0.1:8080/x/../cb',
  'http://127.0.0.1:8080/c\tb',
  'http://127.0.0.1:8080/%63b',
];

async function expectRefused(clientId: string, redirectUri: string): Promise<void> {
  const query = authorizeUrl({ clientId, challenge, extra: { redirect_uri: redirectUri } });
  const viaGet = await new Browser(running.url).get(query);
  const viaPost = await fetch(`${running.url}/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: query.split('?')[1],
    redirect: 'manual',
  });
  for (const page of [
    { status: viaGet.status, headers: viaGet.headers, text: viaGet.text },
    { status: viaPost.status, headers: viaPost.headers, text: await viaPost.text() },
  ]) {
    expect({ uri: redirectUri, status: page.status }).toEqual({ uri: redirectUri, status: 400 });
    expect(page.headers.get('location')).toBeNull();
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toMatch(/redirect_uri is not registered|redirect_uri/);
  }
}

describe('a confidential web client', () => {
  it('answers the registered URI with a redirect (the control case)', async () => {
    const page = await new Browser(running.url).get(
      authorizeUrl({ clientId: web.id, challenge, extra: { redirect_uri: REDIRECT_URI } }),
    );
    expect(page.status).toBe(303);
    expect(page.location).toMatch(/^\/login\?interaction=/);
  });

  it.each(WEB_VARIANTS.map((v) => [JSON.stringify(v), v]))(
    'refuses %s on the error page',
    async (_label, variant) => expectRefused(web.id, variant),
  );
});

describe('loopback redirect URIs', () => {
  it.each(['http://127.0.0.1:8080/cb', 'http://127.0.0.1:1/cb', 'http://[::1]:53123/cb'])(
    'a public client may vary the port: %s',
    async (uri) => {
      const page = await new Browser(running.url).get(
        authorizeUrl({ clientId: native.id, challenge, extra: { redirect_uri: uri } }),
      );
      expect(page.status).toBe(303);
    },
  );

  it.each(LOOPBACK_VARIANTS.map((v) => [JSON.stringify(v), v]))(
    'a public client is refused %s',
    async (_label, variant) => expectRefused(native.id, variant),
  );

  it('a confidential client may not vary the port', async () => {
    await expectRefused(confidentialLoopback.id, 'http://127.0.0.1:8080/cb');
    await expectRefused(confidentialLoopback.id, 'http://[::1]:8080/cb');
  });
});

describe('the interaction pages take no return address', () => {
  it.each(['return_to', 'next', 'redirect', 'redirect_uri', 'continue', 'url'])(
    'ignores %s on /login and /logout: a page, never a redirect',
    async (name) => {
      const user = await createUser(running);
      const browser = new Browser(running.url);
      const evil = encodeURIComponent('https://evil.example/');
      const form = await browser.get(`/login?${name}=${evil}`);
      expect(form.status).toBe(200);
      expect(form.location).toBeUndefined();
      const signedIn = await browser.post(`/login?${name}=${evil}`, {
        csrf: inputValue(form.text, 'csrf'),
        username: user.username,
        password: PASSWORD,
        [name]: 'https://evil.example/',
      });
      expect(signedIn.status).toBe(200);
      expect(signedIn.location).toBeUndefined();
      const confirm = await browser.get(`/logout?${name}=${evil}`);
      expect(confirm.status).toBe(200);
      expect(confirm.location).toBeUndefined();
    },
  );
});
