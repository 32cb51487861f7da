/** The authorization flow and its pages as the fuzzer sees them (HTML answers and 303s). */
import type { HostileWorld } from './hostile-world';
import { ref, refs, texts } from './hostile-values';
import { either, spec, type EndpointSpec } from './endpoint-spec';

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
/**
 * An accepted authorization request starts a new interaction (or, signed in and consented,
 * issues a code) and leaves the fixtures' interactions alone: nothing to renew.
 */
const authorizeRules = { errorRedirectIsRefusal: true };

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
