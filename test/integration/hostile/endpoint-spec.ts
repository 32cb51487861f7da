/** What the fuzzer knows about a route: its request arbitrary and its rules. */
import fc from 'fast-check';
import type { HostileRequest, Value } from './hostile-request';
import type { HostileWorld } from './hostile-world';
import { hostileText, rawValue } from './hostile-values';
import { requestArb, type RouteShape } from './request-shapes';

export interface EndpointSpec {
  readonly name: string;
  readonly request: fc.Arbitrary<HostileRequest>;
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

export const spec = (
  name: string,
  shape: RouteShape,
  rest: Omit<EndpointSpec, 'name' | 'request'> = {},
): EndpointSpec => ({
  name,
  request: requestArb(shape),
  ...rest,
});

/** One of several value arbitraries. */
export const either = (...arbs: fc.Arbitrary<Value>[]) => fc.oneof(...arbs);
/** A hostile path segment: text or raw bytes. */
export const hostileSegment = fc.oneof(hostileText, rawValue);
