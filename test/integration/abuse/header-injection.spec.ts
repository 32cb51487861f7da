/**
 * Header injection (response splitting) through everything the browser flow echoes: CR/LF
 * raw, percent-encoded and smuggled as Unicode characters whose low bytes are CR/LF
 * (U+560A U+560D, "%E5%98%8A%E5%98%8D", which a Latin-1 header writer would truncate to
 * "\n\r"). Every answer is read from the raw socket: one status line, well-formed header
 * lines, no injected header, never a 500.
 */
import { createClient, pkcePair, REDIRECT_URI } from '../../e2e/support/oauth-fixtures';
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { Browser, inputValue, paramsOf } from '../authorize/browser';
import { tokenFor } from '../cache/cache-api-fixtures';
import { authorizeUrl, createUser, login, startFlowApp } from '../authorize/flow-support';
import { rawExchange } from '../platform/raw-http';
import { expectUnsplit, parseAnswer, ParsedAnswer, rawGet, rawPost, rawSend } from './raw-response';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;
let client: { id: string; secret: string };
let cacheToken: string;

beforeAll(async () => {
  running = await startFlowApp(topology().env());
  client = await createClient(running);
  cacheToken = await tokenFor(running, 'cache:read cache:write', { cacheServices: ['orders'] });
});
afterAll(() => running?.close());

/** Payloads as they appear in a query string or form body (already encoded). */
const PAYLOADS: ReadonlyArray<[string, string]> = [
  ['encoded CRLF', '%0d%0aX-Injected:%20yes'],
  ['encoded CRLF + Set-Cookie', '%0D%0ASet-Cookie:%20injected=1'],
  ['encoded LF only', '%0aX-Injected:%20yes'],
  ['encoded CR only', '%0dX-Injected:%20yes'],
  ['CRLF CRLF + a body', '%0d%0a%0d%0aHTTP/1.1%20200%20OK%0d%0aX-Injected:%20yes'],
  ['U+560A U+560D (UTF-8)', '%E5%98%8A%E5%98%8DX-Injected:%20yes'],
  ['U+010D U+010A (UTF-8)', '%C4%8D%C4%8AX-Injected:%20yes'],
  ['double-encoded CRLF', '%250d%250aX-Injected:%20yes'],
  ['CRLF + Location', '%0d%0aLocation:%20https://evil.example/'],
];

const { challenge } = pkcePair();

/** An authorize query with `name` set to the raw (encoded) `payload`. */
function authorizeWith(name: string, payload: string, extra: Record<string, string> = {}) {
  const base = authorizeUrl({ clientId: client.id, challenge, extra, omit: [name] });
  return `${base}&${name}=${payload}`;
}

function expectLocationAt(answer: ParsedAnswer, prefix: string): Record<string, string> {
  const [location] = answer.header('location');
  expect(location.startsWith(prefix)).toBe(true);
  return paramsOf(location);
}

describe.each(PAYLOADS)('%s', (_name, payload) => {
  it('in state: the error redirect stays one Location header on the registered URI', async () => {
    const answer = await rawGet(running.url, authorizeWith('state', payload, { prompt: 'none' }));
    expectUnsplit(answer);
    expect(answer.status).toBe(303);
    const params = expectLocationAt(answer, `${REDIRECT_URI}?`);
    // A state with control characters is refused, never echoed; any other comes back encoded.
    expect(params.state ?? '').not.toMatch(/[\r\n]/);
  });

  it.each(['scope', 'nonce', 'prompt', 'code_challenge'])(
    'in %s: one Location header on the registered URI, values encoded',
    async (name) => {
      const answer = await rawGet(running.url, authorizeWith(name, payload, { prompt: 'none' }));
      expectUnsplit(answer);
      expect(answer.status).toBe(303);
      const params = expectLocationAt(answer, `${REDIRECT_URI}?`);
      expect(params.state).toBe('st-123');
    },
  );

  it.each(['redirect_uri', 'client_id'])(
    'in %s: the HTML error page, no Location',
    async (name) => {
      const answer = await rawGet(running.url, authorizeWith(name, payload));
      expectUnsplit(answer);
      expect(answer.status).toBe(400);
      expect(answer.header('location')).toEqual([]);
      expect(answer.header('content-type')).toEqual(['text/html; charset=utf-8']);
    },
  );

  it('appended to the registered redirect_uri: refused on the error page', async () => {
    const answer = await rawGet(
      running.url,
      authorizeWith('redirect_uri', `${encodeURIComponent(REDIRECT_URI)}${payload}`),
    );
    expectUnsplit(answer);
    expect(answer.status).toBe(400);
    expect(answer.header('location')).toEqual([]);
  });

  it('in a service cache path (its Location and ETag answers): 400, never split', async () => {
    const auth = { Authorization: `Bearer ${cacheToken}` };
    for (const path of [`/api/v1/cache/orders/k${payload}`, `/api/v1/cache/o${payload}/k`]) {
      const put = await rawSend(running.url, 'PUT', path, 'v', {
        ...auth,
        'Content-Type': 'text/plain',
      });
      expectUnsplit(put);
      const get = await rawGet(running.url, path, auth);
      expectUnsplit(get);
      // 400 (not a valid service or key), 404 when a decoded '/' adds a path segment.
      expect([400, 404]).toContain(put.status);
      expect([400, 404]).toContain(get.status);
      expect(put.header('location')).toEqual([]);
    }
  });

  it('in the login form fields: a page, never a split answer', async () => {
    const browser = new Browser(running.url);
    const start = await browser.get(authorizeUrl({ clientId: client.id, challenge }));
    const page = await browser.get(start.location!);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const interaction = inputValue(page.text, 'interaction');
    const csrf = inputValue(page.text, 'csrf');
    const forms = [
      `interaction=${interaction}&csrf=${csrf}&username=${payload}&password=x`,
      `interaction=${interaction}&csrf=${csrf}&username=u&password=${payload}`,
      `interaction=${interaction}${payload}&csrf=${csrf}&username=u&password=x`,
      `interaction=${interaction}&csrf=${csrf}${payload}&username=u&password=x`,
    ];
    for (const form of forms) {
      const answer = await rawPost(running.url, '/login', form, { Cookie: cookie });
      expectUnsplit(answer);
      expect([400, 401, 403]).toContain(answer.status);
      expect(answer.header('location')).toEqual([]);
    }
  });

  it('in the consent form fields and the interaction query: never a split answer', async () => {
    const user = await createUser(running);
    const browser = new Browser(running.url);
    const start = await browser.get(authorizeUrl({ clientId: client.id, challenge }));
    const afterLogin = await login(browser, start.location!, user.username);
    const page = await browser.get(afterLogin.location!);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const interaction = inputValue(page.text, 'interaction');
    const csrf = inputValue(page.text, 'csrf');
    const forms = [
      `interaction=${interaction}&csrf=${csrf}&decision=${payload}`,
      `interaction=${interaction}${payload}&csrf=${csrf}&decision=allow`,
      `interaction=${interaction}&csrf=${csrf}${payload}&decision=allow`,
    ];
    for (const form of forms) {
      const answer = await rawPost(running.url, '/consent', form, { Cookie: cookie });
      expectUnsplit(answer);
      expect([400, 403]).toContain(answer.status);
    }
    for (const path of ['/consent', '/login']) {
      const answer = await rawGet(running.url, `${path}?interaction=${interaction}${payload}`, {
        Cookie: cookie,
      });
      expectUnsplit(answer);
      expect(answer.status).toBe(400);
    }
    // The interaction survived all of it: the real decision still completes it.
    const done = await browser.post('/consent', { interaction, csrf, decision: 'deny' });
    expect(paramsOf(done.location)).toMatchObject({ error: 'access_denied', state: 'st-123' });
  });
});

describe('raw control characters in the request line', () => {
  it.each([
    ['a bare LF in the query', 'GET /oauth2/authorize?state=a\nX-Injected: yes HTTP/1.1'],
    ['a bare CR in the query', 'GET /oauth2/authorize?state=a\rX-Injected: yes HTTP/1.1'],
    ['raw UTF-8 of U+560A U+560D', 'GET /oauth2/authorize?state=\u560a\u560dX HTTP/1.1'],
  ])('%s is refused by the parser (400), not split', async (_name, requestLine) => {
    const answer = parseAnswer(
      await rawExchange(running.url, `${requestLine}\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    expectUnsplit(answer);
    expect(answer.status).toBe(400);
  });

  it('a state that is only printable ASCII comes back byte for byte, encoded', async () => {
    const state = 'a b:c;d,e=f%0g"h<i>';
    const answer = await rawGet(
      running.url,
      authorizeUrl({ clientId: client.id, challenge, extra: { state, prompt: 'none' } }),
    );
    expectUnsplit(answer);
    expect(expectLocationAt(answer, `${REDIRECT_URI}?`).state).toBe(state);
  });
});
