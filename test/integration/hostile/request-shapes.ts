/** Builds the request arbitrary of one route from its usual shape and the hostile parts. */
import fc from 'fast-check';
import type { Encoding, HeaderValue, HostileRequest, Param, Value } from './hostile-request';
import { paramsArb, type Template } from './hostile-params';
import {
  contentTypeArb,
  cookieArb,
  encodingArb,
  extraHeadersArb,
  methodArb,
  pathMutationArb,
} from './hostile-headers';

export interface RouteShape {
  readonly method: string | fc.Arbitrary<string>;
  /** Path segments: literal text or an arbitrary (a path parameter). */
  readonly path: readonly (string | fc.Arbitrary<Value>)[];
  /** Where the route reads its parameters. */
  readonly carrier: 'query' | 'body';
  readonly params: Readonly<Record<string, fc.Arbitrary<Value>>>;
  /** Complete valid parameter sets, so some requests get all the way through. */
  readonly templates?: readonly Template[];
  readonly encoding?: Encoding;
  readonly authorization?: fc.Arbitrary<HeaderValue>;
  readonly cookies?: boolean;
  /** Route-specific headers (If-None-Match, Cache-TTL...). */
  readonly headers?: fc.Arbitrary<readonly (readonly [string, HeaderValue])[]>;
}

/** Query strings on a POST and bodies on a GET now and then; floods and deep JSON rarely. */
export function requestArb(shape: RouteShape): fc.Arbitrary<HostileRequest> {
  const own = paramsArb(shape.params, shape.templates);
  const stray = paramsArb({});
  const method = typeof shape.method === 'string' ? methodArb(shape.method) : shape.method;
  const path = fc.tuple(
    ...shape.path.map((s) => (typeof s === 'string' ? fc.constant<Value>([s]) : s)),
  );
  const header = (name: string, arb: fc.Arbitrary<HeaderValue>, weight: number, total: number) =>
    fc.oneof(
      { weight: total - weight, arbitrary: fc.constant(undefined) },
      { weight, arbitrary: arb.map((v) => [name, v] as const) },
    );
  return fc
    .record({
      method,
      path,
      pathMutation: pathMutationArb,
      own,
      stray: fc.oneof(
        { weight: 5, arbitrary: fc.constant<Param[]>([]) },
        { weight: 1, arbitrary: stray },
      ),
      encoding: encodingArb(shape.encoding ?? (shape.carrier === 'body' ? 'form' : 'none')),
      contentType: contentTypeArb,
      authorization: shape.authorization
        ? header('Authorization', shape.authorization, 2, 3)
        : fc.constant(undefined),
      // Two Authorization headers: which one wins must not matter for safety.
      secondAuthorization: shape.authorization
        ? header('Authorization', shape.authorization, 1, 15)
        : fc.constant(undefined),
      cookie: shape.cookies ? header('Cookie', cookieArb, 4, 5) : fc.constant(undefined),
      rawUrl: fc.oneof(
        { weight: 15, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      routeHeaders: shape.headers ?? fc.constant([]),
      extra: fc.oneof(
        { weight: 4, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: extraHeadersArb },
      ),
      flood: fc.oneof(
        { weight: 20, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.constantFrom(33, 100, 1000, 5000) },
      ),
      jsonDepth: fc.oneof(
        { weight: 20, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.constantFrom(31, 33, 200, 5000) },
      ),
    })
    .map((r): HostileRequest => {
      const inQuery = shape.carrier === 'query';
      return {
        method: r.method,
        path: r.path,
        pathMutation: r.pathMutation,
        query: inQuery ? r.own : r.stray,
        body: inQuery ? r.stray : r.own,
        encoding: inQuery && r.stray.length === 0 ? 'none' : r.encoding,
        contentType: r.contentType,
        headers: [
          ...(r.authorization ? [r.authorization] : []),
          ...(r.secondAuthorization ? [r.secondAuthorization] : []),
          ...(r.cookie ? [r.cookie] : []),
          ...r.routeHeaders,
          ...r.extra,
        ],
        flood: r.flood,
        jsonDepth: r.jsonDepth,
        rawUrl: r.rawUrl,
      };
    });
}
