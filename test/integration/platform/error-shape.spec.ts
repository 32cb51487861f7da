/** Every error body has the `{error, error_description}` shape, whoever raised it. */
import { useTopology } from '../../support/redis-topology';
import { RunningApp, startApp } from '../../support/test-app';

const ADMIN_TOKEN = 'error-shape-admin-token-0123456789abcdef';

describe('error responses', () => {
  const topology = useTopology({ mode: 'standalone' });
  let running: RunningApp;
  const admin = (body: string, contentType = 'application/json') =>
    fetch(`${running.url}/api/v1/admin/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': contentType },
      body,
    });

  beforeAll(async () => {
    running = await startApp({ ...topology().env(), ADMIN_TOKEN });
  });
  afterAll(() => running.close());

  it('answers malformed JSON with 400 invalid_request', async () => {
    const res = await admin('{"name":');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('not valid JSON'),
    });
  });

  it('rejects unknown body fields instead of dropping them silently', async () => {
    const res = await admin(
      JSON.stringify({
        name: 'svc',
        type: 'confidential',
        grant_types: ['client_credentials'],
        scopes: ['cache:read'],
        redirect_urls: ['https://typo.example/cb'],
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toContain('unknown field redirect_urls');
  });

  it('answers an oversized body with 413 invalid_request', async () => {
    const res = await admin(JSON.stringify({ name: 'x'.repeat(200_000) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('answers an unknown route with 404 not_found', async () => {
    const res = await fetch(`${running.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: 'not_found',
      error_description: 'Cannot GET /no/such/route',
    });
  });
});
