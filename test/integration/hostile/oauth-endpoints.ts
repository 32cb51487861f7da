/** The OAuth endpoints as the fuzzer sees them (RFC 6749, 7009, 7662, 8414). */
import fc from 'fast-check';
import type { HeaderValue } from './hostile-request';
import type { HostileWorld } from './hostile-world';
import { basicArb, bearerArb } from './hostile-headers';
import { ref, refs, texts } from './hostile-values';
import { either, spec, type EndpointSpec } from './endpoint-spec';

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
