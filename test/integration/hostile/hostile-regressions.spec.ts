/**
 * Plain, deterministic replays of what the hostile-input property (hostile-input.spec.ts)
 * found, each failing before its fix.
 */
import { useTopology } from '../../support/redis-topology';
import type { RunningApp } from '../../support/test-app';
import { startReadyApp } from '../../e2e/support/oauth-fixtures';
import { sendRaw } from './raw-request';

const topology = useTopology({ mode: 'standalone' });
let running: RunningApp;

beforeAll(async () => {
  running = await startReadyApp({ ...topology().env(), JOBS_ENABLED: 'false' });
});
afterAll(() => running?.close());

const send = (method: string, target: string, contentType: string, body: string) =>
  sendRaw(running.url, {
    method,
    target,
    headers: [['Content-Type', contentType]],
    body: Buffer.from(body),
  });

describe('a request no route takes is answered as such, whatever its body', () => {
  // Fastify parsed the body before its not-found handler ran, so a body it could not parse
  // turned a 405 or 404 into a 400 or 415 about the body of a request nothing would read.
  it('answers a wrong method with an empty Content-Type 405, not 415', async () => {
    const res = await send('PATCH', '/oauth2/introspect', '', 'token=x');
    expect({ status: res.status, allow: res.headers.allow, body: JSON.parse(res.body) }).toEqual({
      status: 405,
      allow: 'POST',
      body: {
        error: 'method_not_allowed',
        error_description: 'PATCH is not allowed here; allowed: POST',
      },
    });
  });

  it('answers a wrong method with malformed JSON 405, not 400', async () => {
    const res = await send('DELETE', '/health', 'application/json', '{"a":');
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body).error).toBe('method_not_allowed');
  });

  it('answers an unknown path with malformed JSON 404, not 400', async () => {
    const res = await send('POST', '/oauth2/nope', 'application/json', '{"a":');
    expect({ status: res.status, body: JSON.parse(res.body) }).toEqual({
      status: 404,
      body: { error: 'not_found', error_description: 'Cannot POST /oauth2/nope' },
    });
  });

  it('still answers malformed JSON on a real route 400 invalid_request', async () => {
    const res = await send('POST', '/api/v1/admin/clients', 'application/json', '{"a":');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toBe('invalid_request');
  });

  // The route table behind 405 matched an optional trailing slash the router does not:
  // GET /oauth2/token/ said "allowed: POST", and POST /oauth2/token/ was then a 404.
  it('answers any method on a known path plus a trailing slash 404, not 405', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await send(method, '/oauth2/token/', 'application/x-www-form-urlencoded', '');
      expect({ method, status: res.status, allow: res.headers.allow }).toEqual({
        method,
        status: 404,
        allow: undefined,
      });
    }
  });

  // The router ignores a fragment (GET /login#x is the login page); the 405 check did not.
  it('answers a wrong method on a known path with a fragment 405, like without it', async () => {
    const res = await send('PATCH', '/login#x', 'application/json', '{}');
    expect({ status: res.status, allow: res.headers.allow }).toEqual({
      status: 405,
      allow: 'GET, HEAD, POST',
    });
  });
});
