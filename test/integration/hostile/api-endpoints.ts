/** The service cache API, the admin API and the operational endpoints, as the fuzzer sees them. */
import fc from 'fast-check';
import type { HostileWorld } from './hostile-world';
import { bearerArb } from './hostile-headers';
import { hostileText, refs, texts } from './hostile-values';
import { requestArb, type RouteShape } from './request-shapes';
import { either, hostileSegment, spec, type EndpointSpec } from './endpoint-spec';

// --- service cache API (bearer tokens, raw values) ---
const cacheAuth = bearerArb(['accessToken', 'refreshToken', 'adminToken']);
const cacheService = either(refs('cacheService'), texts('other', 'SVC', 'svc:x'), hostileSegment);
const cacheKey = either(
  refs('cacheKey'),
  texts('new-key', 'a:b@c=d+e~f', 'k'.repeat(512), 'k'.repeat(513)),
  hostileSegment,
);
const cacheHeaders = fc.array(
  fc
    .oneof(
      fc.tuple(
        fc.constant('If-None-Match'),
        either(
          texts('*', 'W/"x"', '"a", "b"', '"'.repeat(100), Array(60).fill('"t"').join(',')),
          hostileText,
        ),
      ),
      fc.tuple(
        fc.constant('Cache-TTL'),
        either(texts('60', '0', '-1', '1.5', '99999999999', ' 60 ', '60, 70'), hostileText),
      ),
    )
    .map(([name, value]) => [name, value] as const),
  { maxLength: 3 },
);
const cacheShape = (method: string, path: RouteShape['path']): RouteShape => ({
  method,
  path,
  carrier: method === 'PUT' ? 'body' : 'query',
  encoding: 'text',
  authorization: cacheAuth,
  headers: cacheHeaders,
  params: method === 'PUT' ? { value: texts('v') } : { ttl: texts('60', '0', 'abc', '60') },
});
const putCacheEntry = async (world: HostileWorld) => world.putCacheEntry();

export const CACHE_ENDPOINTS: readonly EndpointSpec[] = [
  spec('GET /api/v1/cache/{service}', cacheShape('GET', ['api', 'v1', 'cache', cacheService])),
  spec(
    'GET /api/v1/cache/{service}/{key}',
    cacheShape('GET', ['api', 'v1', 'cache', cacheService, cacheKey]),
  ),
  spec(
    'PUT /api/v1/cache/{service}/{key}',
    cacheShape('PUT', ['api', 'v1', 'cache', cacheService, cacheKey]),
    { renew: putCacheEntry },
  ),
  spec(
    'DELETE /api/v1/cache/{service}/{key}',
    cacheShape('DELETE', ['api', 'v1', 'cache', cacheService, cacheKey]),
    { renew: putCacheEntry },
  ),
];

// --- admin API (JSON bodies, admin credential) and the operational endpoints ---
const adminAuth = bearerArb(['adminToken', 'accessToken', 'clientSecret']);
const adminMethod = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT');
const victimClient = either(
  refs('victimClientId'),
  texts('no-such-client', 'auth:client:x'),
  hostileSegment,
);
const victimUser = either(refs('victimUserId'), texts('no-such-user'), hostileSegment);
const jsonText = (...values: string[]) => either(texts(...values), hostileText);
const adminBody = {
  client_id: jsonText('fuzz-client', ''),
  type: jsonText('confidential', 'public', 'admin'),
  name: jsonText('fuzz'),
  token_endpoint_auth_method: jsonText('client_secret_basic', 'none', 'private_key_jwt'),
  grant_types: jsonText('client_credentials'),
  scopes: jsonText('openid'),
  redirect_uris: jsonText('https://app.example.com/cb'),
  cache_services: jsonText('svc'),
  username: jsonText('fuzz-user'),
  password: jsonText('a long enough password 1'),
  display_name: jsonText('Fuzz'),
  disabled: jsonText('true'),
  grace_seconds: jsonText('0'),
};
const admin = (path: RouteShape['path']): RouteShape => ({
  method: adminMethod,
  path: ['api', 'v1', 'admin', ...path],
  carrier: 'body',
  encoding: 'json',
  authorization: adminAuth,
  params: adminBody,
  templates: [
    {
      name: ['fuzz'],
      type: ['confidential'],
      grant_types: { json: ['client_credentials'] },
      scopes: { json: ['openid'] },
    },
    {
      client_id: ['fuzz-client'],
      name: ['fuzz'],
      type: ['public'],
      grant_types: { json: ['authorization_code'] },
      scopes: { json: ['openid'] },
      redirect_uris: { json: ['https://app.example.com/cb'] },
    },
    { username: ['fuzz-user'], password: ['a long enough password 1'] },
    { disabled: { json: true }, display_name: { json: null } },
    { grace_seconds: { json: 0 } },
    { password: ['a long enough password 2'] },
  ],
});

export const ADMIN_ENDPOINTS: readonly EndpointSpec[] = [
  spec('/api/v1/admin/clients[/{id}]', admin(['clients'])),
  spec('/api/v1/admin/clients/{id}', admin(['clients', victimClient])),
  spec(
    '/api/v1/admin/clients/{id}/{action}',
    admin([
      'clients',
      victimClient,
      fc.oneof(texts('rotate-secret', 'revoke-tokens'), hostileSegment),
    ]),
  ),
  spec('/api/v1/admin/users[/{id}]', admin(['users'])),
  spec('/api/v1/admin/users/{id}', admin(['users', victimUser])),
  spec(
    '/api/v1/admin/users/{id}/{action}',
    admin([
      'users',
      victimUser,
      fc.oneof(texts('reset-password', 'revoke-tokens', 'sessions', 'consents'), hostileSegment),
    ]),
  ),
  spec(
    '/api/v1/admin/users/{id}/sessions|consents/{x}',
    admin([
      'users',
      either(refs('userId'), victimUser),
      texts('sessions', 'consents'),
      either(refs('sessionHandle', 'clientId'), hostileSegment),
    ]),
  ),
];

const opsPath = fc.constantFrom<string[]>(
  ['health'],
  ['health', 'live'],
  ['health', 'ready'],
  ['health', 'dependencies'],
  ['metrics'],
);
export const OPS_ENDPOINTS: readonly EndpointSpec[] = [
  {
    name: 'GET /health*, /metrics',
    request: opsPath.chain((path) =>
      requestArb({
        method: 'GET',
        path,
        carrier: 'query',
        params: { format: texts('json') },
        authorization: bearerArb(['adminToken', 'accessToken']),
      }),
    ),
    // /metrics and /health/dependencies show Redis internals to the admin credential, on purpose.
    internalsWhenAuthorized: true,
  },
];
