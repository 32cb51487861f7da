/** The parameters of a request: valid templates or free mixes, with hostile parts. */
import fc from 'fast-check';
import type { JsonOdd, Param, Value } from './hostile-request';
import { hostileName, hostileText, jsonOdd, rawValue, valueFor } from './hostile-values';

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
