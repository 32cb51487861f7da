/**
 * fast-check arbitraries for the hostile parts of a request: values, parameter names,
 * credentials, cookies, methods, encodings. Each endpoint mixes them with valid parts
 * (endpoints.ts) so requests get past the first validator.
 */
import fc from 'fast-check';
import type { Ref } from './hostile-world';
import type { Encoding, HeaderValue, JsonOdd, Param, Value } from './hostile-request';
import { PATH_MUTATIONS } from './hostile-request';
import { tripsLeakPattern } from './response-checks';

export const ref = (name: Ref): Value => [{ ref: name }];
export const refs = (...names: Ref[]): fc.Arbitrary<Value> => fc.constantFrom(...names.map(ref));
export const texts = (...values: string[]): fc.Arbitrary<Value> =>
  fc.constantFrom(...values.map((v): Value => [v]));

/** Strings that broke parsers elsewhere: empties, type confusions, escapes, injections. */
const NASTY = [
  '',
  ' ',
  '\t',
  'null',
  'undefined',
  'true',
  'false',
  '0',
  '-1',
  '1e309',
  'NaN',
  '0x10',
  '[]',
  '{}',
  '[object Object]',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%C0%AF',
  '+',
  '&',
  '=',
  '==',
  '?',
  '#',
  '*',
  '\\',
  '"',
  "'",
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\u2028',
  '\uFEFF',
  '\uD800',
  '\uDFFF\uD800',
  '\uFFFF',
  '😀',
  'é',
  'ＡＤＭＩＮ',
  'İ',
  '../../etc/passwd',
  '..',
  '.',
  '/',
  '//',
  '%2F',
  '%2e%2e',
  '<script>alert(1)</script>',
  '"><svg onload=1>',
  '${7*7}',
  '{{7*7}}',
  "' OR '1'='1",
  'auth:client:*',
  'cache:resource:*',
  '*:*',
  'KEYS *',
  '\r\nSET x 1\r\n',
  'Bearer',
  'Basic',
  'admin',
  'openid profile admin',
  'openid openid',
  ' openid  profile ',
  'https://evil.example/cb',
  'javascript:alert(1)',
  'http://127.0.0.1:1/',
  'data:,x',
];

/** Hostile text: the list above, arbitrary Unicode, and lengths around every limit. */
export const hostileText: fc.Arbitrary<Value> = fc
  .oneof(
    { weight: 50, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 20, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    {
      weight: 10,
      arbitrary: fc
        .constantFrom(128, 129, 255, 256, 512, 513, 1024, 1025, 2048, 2049, 4096, 4097)
        .map((n) => 'a'.repeat(n)),
    },
    // Beyond the body (64 KiB) and header (16 KiB) limits: rare, or nothing gets past them.
    { weight: 1, arbitrary: fc.constantFrom(20_000, 70_000).map((n) => 'b'.repeat(n)) },
  )
  .filter((s) => !tripsLeakPattern(s))
  .map((s): Value => [s]);

/** Bytes sent without encoding: broken percent escapes, invalid UTF-8, separators. */
export const rawValue: fc.Arbitrary<Value> = fc
  .oneof(
    fc.constantFrom(
      '%E0%A4%A',
      '%',
      '%%',
      '%zz',
      '%0',
      '%00',
      '%FF%FE',
      '%C0%80',
      '%ED%A0%80',
      'a&b',
      'a=b=c',
      '+%2B+',
      '&&=&',
    ),
    fc
      .constantFrom(
        [0xff],
        [0xc0, 0xaf],
        [0xe0, 0x80],
        [0xed, 0xa0, 0x80],
        [0xf8, 0x88, 0x80, 0x80, 0x80],
        [0x00],
        [0xfe, 0xff, 0x00, 0x61],
      )
      .map((b) => Buffer.from(b).toString('latin1')),
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b).toString('latin1')),
  )
  .filter((s) => !tripsLeakPattern(s))
  .map((s): Value => [{ raw: [...Buffer.from(s, 'latin1')] }]);

/** JSON where a string is expected: numbers, arrays, objects, prototype keys. */
export const jsonOdd: fc.Arbitrary<JsonOdd> = fc
  .constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1e308,
    [],
    ['a', 'b'],
    [['x']],
    {},
    { a: 1 },
    JSON.parse('{"__proto__":{"admin":true}}'),
    { constructor: { prototype: { admin: true } } },
    ['openid', { $ne: 1 }],
    { length: 1, 0: 'x' },
  )
  .map((json) => ({ json }));

/** A value for a parameter: usually a valid one, else hostile, raw, or valid with a hostile tail. */
export function valueFor(valid: fc.Arbitrary<Value>): fc.Arbitrary<Value | JsonOdd> {
  return fc.oneof(
    { weight: 14, arbitrary: valid },
    { weight: 3, arbitrary: hostileText },
    { weight: 1, arbitrary: rawValue },
    { weight: 1, arbitrary: jsonOdd },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.oneof(hostileText, rawValue))
        .map(([a, b]): Value => [...a, ...b]),
    },
  );
}

const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__proto__[admin]',
  'constructor[prototype][admin]',
  'a[b]',
  'a[]',
  '',
  ' ',
  'grant_type ',
  'GRANT_TYPE',
  'client_id\u0000',
  'x'.repeat(4097),
  'n'.repeat(300),
];
export const hostileName: fc.Arbitrary<Value> = fc.oneof(
  texts(...HOSTILE_NAMES),
  hostileText,
  rawValue,
);

/** A whole valid parameter set of a route (e.g. a complete client_credentials request). */
export type Template = Readonly<Record<string, Value | JsonOdd>>;

/** `weight` times in `total`, e.g. `rarely(1, 8)`: null the other times. */
const sometimes = <T>(
  arb: fc.Arbitrary<T>,
  weight: number,
  total: number,
): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: total - weight, arbitrary: fc.constant(null) }, { weight, arbitrary: arb });

/**
 * The parameters of one request: either a valid template with a few parameters dropped or
 * made hostile, or a free mix of the route's own parameters (each present 3 times in 4,
 * valid or hostile); then now and then a hostile extra and a repeated parameter (`a=1&a=2`).
 */
export function paramsArb(
  own: Readonly<Record<string, fc.Arbitrary<Value>>>,
  templates: readonly Template[] = [],
): fc.Arbitrary<Param[]> {
  const ownParams = Object.entries(own).map(([name, valid]) =>
    sometimes(
      fc
        .oneof(
          { weight: 12, arbitrary: fc.constant<Value>([name]) },
          { weight: 1, arbitrary: hostileName },
        )
        .chain((n) => valueFor(valid).map((value): Param => ({ name: n, value }))),
      3,
      4,
    ),
  );
  const free = fc.tuple(...ownParams).map((params) => params.filter((p): p is Param => p !== null));
  const fromTemplate =
    templates.length === 0
      ? free
      : fc.constantFrom(...templates).chain((template) =>
          fc
            .tuple(
              ...Object.entries(template).map(([name, value]) =>
                fc.oneof(
                  { weight: 12, arbitrary: fc.constant<Param | null>({ name: [name], value }) },
                  { weight: 1, arbitrary: fc.constant(null) },
                  {
                    weight: 1,
                    arbitrary: fc
                      .oneof(hostileText, rawValue, jsonOdd)
                      .map((v): Param => ({ name: [name], value: v })),
                  },
                ),
              ),
            )
            .map((params) => params.filter((p): p is Param => p !== null)),
        );
  const extra = fc
    .tuple(hostileName, valueFor(hostileText))
    .map(([name, value]): Param => ({ name, value }));
  return fc
    .tuple(
      fc.oneof(free, fromTemplate),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.array(extra, { minLength: 1, maxLength: 2 }) },
      ),
      sometimes(fc.tuple(fc.nat(), fc.nat()), 1, 6),
    )
    .map(([params, extras, dup]) => {
      const all: Param[] = [...params, ...extras];
      if (dup !== null && all.length > 0)
        all.splice(dup[1] % (all.length + 1), 0, all[dup[0] % all.length]);
      return all;
    });
}

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
