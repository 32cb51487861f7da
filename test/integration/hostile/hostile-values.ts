/**
 * fast-check arbitraries for hostile values: text, raw bytes, JSON of the wrong type,
 * parameter names. Endpoint definitions (oauth-endpoints.ts and its siblings) mix them with
 * valid parts so requests get past the first validator.
 */
import fc from 'fast-check';
import type { Ref } from './hostile-world';
import type { JsonOdd, Value } from './hostile-request';
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
