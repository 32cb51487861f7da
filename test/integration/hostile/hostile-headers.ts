/**
 * fast-check arbitraries for everything around the parameters: credentials, cookies, methods,
 * path mutations, body encodings, media types and stray headers.
 */
import fc from 'fast-check';
import type { Ref } from './hostile-world';
import type { Encoding, HeaderValue, Value } from './hostile-request';
import { PATH_MUTATIONS } from './hostile-request';
import { hostileText, rawValue, refs, texts } from './hostile-values';

/** Authorization headers: valid Basic/Bearer credentials and every broken variant. */
export function basicArb(pairs: readonly (readonly [Ref, Ref])[]): fc.Arbitrary<HeaderValue> {
  const valid = fc
    .constantFrom(...pairs)
    .map(([id, secret]): Value => [{ ref: id }, ':', { ref: secret }]);
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((b64) => ({ scheme: 'Basic ', b64 })) },
    { weight: 1, arbitrary: valid.map((b64) => ({ scheme: 'basic  ', b64 })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(refs(...pairs.map(([id]) => id)), hostileText)
        .map(([id, secret]) => ({ scheme: 'Basic ', b64: [...id, ':', ...secret] })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(hostileText, fc.oneof(hostileText, rawValue))
        .map(([id, secret]) => ({ scheme: 'Basic ', b64: [...id, ':', ...secret] })),
    },
    {
      weight: 1,
      arbitrary: refs(...pairs.map(([id]) => id)).map((id) => ({ scheme: 'Basic ', b64: id })),
    }, // no colon
    { weight: 1, arbitrary: rawValue.map((raw) => ({ scheme: 'Basic ', b64: raw })) }, // non-UTF-8 credentials
    {
      weight: 1,
      arbitrary: fc
        .tuple(refs(...pairs.map(([id]) => id)), rawValue)
        .map(([id, raw]) => ({ scheme: 'Basic ', b64: [...id, ':', ...raw] })),
    },
    {
      weight: 1,
      arbitrary: texts(
        'Basic',
        'Basic ',
        'Basic !!!!',
        'Basic ====',
        'Basic a',
        'Basic Og==',
        'Basic OjpgOg==',
        'Basic %41%42',
        'Basic dGVzdDp0ZXN0\u0000',
        'Basic ' + 'QUFB'.repeat(3000),
        'Basic dXNlcjpwYXNz extra',
        'Negotiate abc',
        'Digest x',
        'Basic,Bearer',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...pairs).map(([id, secret]): HeaderValue => ({
        scheme: 'Basic ',
        b64: [{ ref: id }, '%3A', { ref: secret }],
      })),
    },
  );
}

export function bearerArb(tokens: readonly Ref[]): fc.Arbitrary<HeaderValue> {
  return fc.oneof(
    { weight: 4, arbitrary: refs(...tokens).map((t): Value => ['Bearer ', ...t]) },
    { weight: 1, arbitrary: refs(...tokens).map((t): Value => ['bearer  ', ...t, ' ']) },
    { weight: 2, arbitrary: fc.oneof(hostileText, rawValue).map((t): Value => ['Bearer ', ...t]) },
    { weight: 1, arbitrary: refs(...tokens).map((t): Value => ['Bearer ', ...t, ...t]) },
    {
      weight: 1,
      arbitrary: texts(
        'Bearer',
        'Bearer ',
        'Bearer  ',
        'Token abc',
        'Bearer a b',
        'Bearer ' + 'z'.repeat(9000),
        'Basic Og==',
      ),
    },
  );
}

/** Cookie headers: the valid session or binding cookie, broken ones, duplicates. */
export const cookieArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: refs('sessionCookie', 'bindingCookie') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(refs('sessionCookie', 'bindingCookie'), hostileText)
      .map(([c, h]): Value => [...c, '; ', ...h]),
  },
  {
    weight: 1,
    arbitrary: hostileText.map((h): Value => [
      'tollgate_session=',
      ...h,
      '; tollgate_interaction=',
      ...h,
    ]),
  },
  { weight: 1, arbitrary: rawValue.map((r): Value => ['tollgate_session=', ...r]) },
  {
    weight: 1,
    arbitrary: texts(
      '=',
      ';;;',
      'tollgate_session',
      'tollgate_session=; tollgate_session=x',
      '__Host-tollgate_session=x',
      'a=b; a=c',
      'tollgate_session="quoted"',
      'x='.repeat(3000),
    ),
  },
  {
    weight: 1,
    arbitrary: refs('sessionCookie', 'bindingCookie').map((c): Value => [
      ...c,
      '; ',
      ...c.map((p) => p),
      '; tollgate_session=forged',
    ]),
  },
);

export const methodArb = (usual: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 24, arbitrary: fc.constant(usual) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'MKCOL', 'SEARCH', 'FOO', 'post', 'G\u00c9T'),
    },
  );

export const pathMutationArb = fc.oneof(
  { weight: 20, arbitrary: fc.constant('none' as const) },
  { weight: 2, arbitrary: fc.constantFrom(...PATH_MUTATIONS) },
);

/** How the body is encoded; `usual` most of the time. */
export const encodingArb = (usual: Encoding): fc.Arbitrary<Encoding> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(usual) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Encoding>('form', 'json', 'multipart', 'text', 'utf16', 'none'),
    },
  );

export const contentTypeArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('match') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'absent',
      'both',
      'application/x-www-form-urlencoded',
      'application/json',
      'text/plain',
      'APPLICATION/X-WWW-FORM-URLENCODED; CHARSET=ISO-8859-1',
      'application/x-www-form-urlencoded;charset=utf-7',
      'application/x-www-form-urlencoded, application/json',
      'application/json; charset=utf-32',
      'application/merge-patch+json',
      'multipart/form-data',
      'application/xml',
      '*/*',
      '',
      ';',
      'x/y; a="',
      'application/x-www-form-urlencoded\u0000',
      'application/ x-www-form-urlencoded',
    ),
  },
);

/** Extra headers now and then: odd Accept, forwarded-for, request ids, a bogus encoding. */
export const extraHeadersArb = fc.array(
  fc
    .oneof(
      fc.tuple(
        fc.constant('X-Forwarded-For'),
        fc.oneof(texts('1.2.3.4', '::1, 10.0.0.1', 'unknown', '999.1.1.1'), hostileText),
      ),
      fc.tuple(fc.constant('X-Request-Id'), hostileText),
      fc.tuple(fc.constant('Accept'), texts('text/html', 'application/json', '*/*;q=0', 'x/y', '')),
      fc.tuple(fc.constant('Content-Encoding'), texts('gzip', 'br', 'identity', 'x')),
      fc.tuple(fc.constant('Accept-Charset'), texts('utf-16', 'x')),
      fc.tuple(fc.constant('Origin'), texts('null', 'https://evil.example')),
    )
    .map(([name, value]) => [name, value] as const),
  { maxLength: 2 },
);
