/**
 * Every public route, as the fuzzer sees it: its usual shape (method, parameters, where they
 * go, credentials), which answers count as rejections, and what a run may use up.
 */
import fc from 'fast-check';
import type { HeaderValue, Value } from './hostile-request';
import type { HostileWorld } from './hostile-world';
import { basicArb, bearerArb, hostileText, rawValue, ref, refs, texts } from './hostile-values';
import { requestArb, type RouteShape } from './request-shapes';

export interface EndpointSpec {
  readonly name: string;
  readonly request: fc.Arbitrary<import('./hostile-request').HostileRequest>;
  /** Error answers must be RFC 6749 section 5.2 JSON. */
  readonly oauthJson?: boolean;
  /** Statuses the route itself answers (routing and transport refusals aside). */
  readonly statuses?: readonly number[];
  /** A redirect with `error=` to the client is a refusal (the authorization endpoint). */
  readonly errorRedirectIsRefusal?: boolean;
  /** Successful answers may carry internals (metrics for the admin credential). */
  readonly internalsWhenAuthorized?: boolean;
  /** Run before each request (after it, the state snapshot is taken again). */
  readonly prepare?: (world: HostileWorld) => Promise<void>;
  /** After an accepted request changed state: renew the fixtures it may have used up. */
  readonly renew?: (world: HostileWorld) => Promise<void>;
  /** Keys (`db:key`) a rejected request of this route may still change, with the reason. */
  readonly mayChange?: (world: HostileWorld, key: string) => boolean;
}

const spec = (
  name: string,
  shape: RouteShape,
  rest: Omit<EndpointSpec, 'name' | 'request'> = {},
): EndpointSpec => ({
  name,
  request: requestArb(shape),
  ...rest,
});

const either = (...arbs: fc.Arbitrary<Value>[]) => fc.oneof(...arbs);
const hostileSegment = fc.oneof(hostileText, rawValue);

// --- OAuth endpoints (RFC 6749, 7009, 7662) ---
const CLIENT_PAIRS = [
  ['clientId', 'clientSecret'],
  ['postClientId', 'postClientSecret'],
  ['rsId', 'rsSecret'],
  ['publicClientId', 'clientSecret'],
  ['clientId', 'postClientSecret'],
] as const;
const clientAuth: fc.Arbitrary<HeaderValue> = fc.oneof(
  { weight: 4, arbitrary: basicArb(CLIENT_PAIRS) },
  { weight: 1, arbitrary: bearerArb(['accessToken', 'refreshToken']) },
);
const clientParams = {
  client_id: refs('clientId', 'postClientId', 'publicClientId', 'rsId'),
  client_secret: refs('clientSecret', 'postClientSecret', 'rsSecret'),
};
const anyToken = refs('accessToken', 'refreshToken', 'code');
/** client_secret_post credentials: a template is then complete without a header. */
const POST_CLIENT = { client_id: ref('postClientId'), client_secret: ref('postClientSecret') };
const RS_CLIENT = { client_id: ref('rsId'), client_secret: ref('rsSecret') };

/** RFC 6749 section 5.2 (400, 401 for a failed Basic authentication), RFC 7662, RFC 7009. */
const OAUTH_STATUSES = [200, 400, 401];

/** Tokens and codes a request may have used up; renewed after a state change. */
const renewTokens = async (world: HostileWorld) => world.renewTokens();

export const OAUTH_ENDPOINTS: readonly EndpointSpec[] = [
  spec(
    'POST /oauth2/token',
    {
      method: 'POST',
      path: ['oauth2', 'token'],
      carrier: 'body',
      authorization: clientAuth,
      params: {
        grant_type: texts(
          'authorization_code',
          'refresh_token',
          'client_credentials',
          'password',
          'implicit',
          'urn:ietf:params:oauth:grant-type:token-exchange',
          'urn:ietf:params:oauth:grant-type:device_code',
        ),
        code: refs('code', 'accessToken'),
        code_verifier: refs('codeVerifier'),
        redirect_uri: either(
          refs('redirectUri'),
          texts('https://app.example.com/callback/', 'https://evil.example/cb'),
        ),
        refresh_token: refs('refreshToken', 'accessToken'),
        scope: texts(
          'openid',
          'profile',
          'cache:read cache:write',
          'admin',
          'openid admin',
          'openid  openid',
        ),
        username: refs('username'),
        password: texts('wrong password, long enough'),
        subject_token: anyToken,
        ...clientParams,
      },
      templates: [
        { grant_type: ['client_credentials'], scope: ['openid'], ...POST_CLIENT },
        {
          grant_type: ['authorization_code'],
          code: ref('code'),
          redirect_uri: ref('redirectUri'),
          code_verifier: ref('codeVerifier'),
          ...POST_CLIENT,
        },
        { grant_type: ['refresh_token'], refresh_token: ref('refreshToken'), ...POST_CLIENT },
        {
          grant_type: ['password'],
          username: ref('username'),
          password: ['wrong password, long enough'],
          ...POST_CLIENT,
        },
      ],
    },
    {
      oauthJson: true,
      statuses: OAUTH_STATUSES,
      // A fresh code for every run: RFC 6749 section 4.1.2 makes a code single use, and
      // redeemCode-8.lua spends it on its first presentation even when a later check fails.
      prepare: (world) => world.renewCode(),
      mayChange: (world, key) => key === world.codeKey(),
      renew: renewTokens,
    },
  ),
  spec(
    'POST /oauth2/introspect',
    {
      method: 'POST',
      path: ['oauth2', 'introspect'],
      carrier: 'body',
      authorization: clientAuth,
      params: {
        token: anyToken,
        token_type_hint: texts('access_token', 'refresh_token', 'code', 'id_token'),
        ...clientParams,
      },
      templates: [
        { token: ref('accessToken'), ...RS_CLIENT },
        { token: ref('refreshToken'), token_type_hint: ['refresh_token'], ...POST_CLIENT },
      ],
    },
    { oauthJson: true, statuses: OAUTH_STATUSES },
  ),
  spec(
    'POST /oauth2/revoke',
    {
      method: 'POST',
      path: ['oauth2', 'revoke'],
      carrier: 'body',
      authorization: clientAuth,
      params: {
        token: anyToken,
        token_type_hint: texts('access_token', 'refresh_token', 'code'),
        ...clientParams,
      },
      templates: [
        { token: ref('refreshToken'), token_type_hint: ['refresh_token'], ...POST_CLIENT },
        { token: ref('accessToken'), ...POST_CLIENT },
      ],
    },
    { oauthJson: true, statuses: OAUTH_STATUSES, renew: renewTokens },
  ),
  spec('GET /.well-known/oauth-authorization-server', {
    method: 'GET',
    path: ['.well-known', 'oauth-authorization-server'],
    carrier: 'query',
    params: { issuer: texts('x') },
  }),
];

// --- the authorization flow and its pages (browser answers: HTML and 303s) ---
const authorizeParams = {
  response_type: texts('code', 'token', 'code id_token', 'none', 'CODE'),
  client_id: refs('clientId', 'publicClientId', 'postClientId', 'rsId'),
  redirect_uri: either(
    refs('redirectUri'),
    texts(
      'https://evil.example/cb',
      'https://app.example.com/callback?x=1',
      'https://app.example.com/callback#f',
    ),
  ),
  scope: texts('openid profile', 'openid', 'admin', 'cache:read', 'unknown-scope'),
  state: texts('st-1', 'x'.repeat(600), 'a b'),
  code_challenge: texts('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'short'),
  code_challenge_method: texts('S256', 'plain', 's256'),
  prompt: texts('none', 'login', 'consent', 'select_account', 'none login'),
  max_age: texts('0', '-1', '60', '1e9', 'abc'),
  nonce: texts('n-1'),
  response_mode: texts('query', 'fragment', 'form_post'),
  request: texts('eyJhbGciOiJub25lIn0.e30.'),
  request_uri: texts('urn:ietf:params:oauth:request_uri:x'),
};
const authorizeTemplates = [
  {
    response_type: ['code'],
    client_id: ref('clientId'),
    redirect_uri: ref('redirectUri'),
    scope: ['openid profile'],
    state: ['st-1'],
    code_challenge: ['E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'],
    code_challenge_method: ['S256'],
  },
];
/** A consent completes the interaction: start new flows for the next runs. */
const renewFlows = async (world: HostileWorld) => world.renewBrowserFlows();
const authorizeRules = { renew: renewFlows, errorRedirectIsRefusal: true };

export const BROWSER_ENDPOINTS: readonly EndpointSpec[] = [
  spec(
    'GET /oauth2/authorize',
    {
      method: 'GET',
      path: ['oauth2', 'authorize'],
      carrier: 'query',
      params: authorizeParams,
      templates: authorizeTemplates,
      cookies: true,
    },
    authorizeRules,
  ),
  spec(
    'POST /oauth2/authorize',
    {
      method: 'POST',
      path: ['oauth2', 'authorize'],
      carrier: 'body',
      params: authorizeParams,
      templates: authorizeTemplates,
      cookies: true,
    },
    authorizeRules,
  ),
  spec('GET /login', {
    method: 'GET',
    path: ['login'],
    carrier: 'query',
    params: { interaction: refs('loginInteraction', 'consentInteraction') },
    cookies: true,
  }),
  spec(
    'POST /login',
    {
      method: 'POST',
      path: ['login'],
      carrier: 'body',
      cookies: true,
      params: {
        interaction: refs('loginInteraction', 'consentInteraction'),
        csrf: refs('loginCsrf', 'consentCsrf'),
        username: either(refs('username'), texts('ADMIN', 'nobody')),
        // Never the right password: a sign-in would start a session for every run.
        password: texts('wrong password, long enough', ''),
      },
      templates: [
        {
          interaction: ref('loginInteraction'),
          csrf: ref('loginCsrf'),
          username: ref('username'),
          password: ['wrong password, long enough'],
        },
      ],
    },
    { renew: renewFlows },
  ),
  spec('GET /consent', {
    method: 'GET',
    path: ['consent'],
    carrier: 'query',
    params: { interaction: refs('consentInteraction', 'loginInteraction') },
    cookies: true,
  }),
  spec(
    'POST /consent',
    {
      method: 'POST',
      path: ['consent'],
      carrier: 'body',
      cookies: true,
      params: {
        interaction: refs('consentInteraction', 'loginInteraction'),
        csrf: refs('consentCsrf', 'loginCsrf'),
        decision: texts('allow', 'deny', 'ALLOW', 'maybe'),
        remember: texts('on', 'off', 'true'),
      },
      templates: [
        { interaction: ref('consentInteraction'), csrf: ref('consentCsrf'), decision: ['allow'] },
        { interaction: ref('consentInteraction'), csrf: ref('consentCsrf'), decision: ['deny'] },
      ],
    },
    { renew: renewFlows },
  ),
  spec('GET /logout', {
    method: 'GET',
    path: ['logout'],
    carrier: 'query',
    params: {},
    cookies: true,
  }),
  // The right logout token is never sent: the session cookie stays valid for other runs.
  spec('POST /logout', {
    method: 'POST',
    path: ['logout'],
    carrier: 'body',
    params: { csrf: refs('loginCsrf', 'consentCsrf') },
    cookies: true,
  }),
];

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
