import OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthClient } from '../../clients/client.types';
import type { AppConfig } from '../../config/app-config';
import type { RateLimitCharge } from '../../redis/rate-limit';
import type { TokensService } from '../../tokens/tokens.service';
import { OAuthError, serverError } from '../errors';
import { toGrantError } from './grant-errors';

/** What every grant needs besides the request: shared, stateless services. */
export interface GrantServices {
  readonly tokens: TokensService;
  readonly config: AppConfig;
}

/**
 * The client object handed to @node-oauth/oauth2-server for one token request: the
 * library reads `id`, `grants` and the lifetimes (its own `unauthorized_client` check is
 * the only grant-type check); our grants get the authenticated OAuthClient and the
 * services back through it (`grantClientOf`), so no grant needs the library's internals.
 */
export class GrantClient implements OAuth2Server.Client {
  readonly id: string;
  readonly grants: string[];
  readonly accessTokenLifetime: number;
  readonly refreshTokenLifetime: number;
  [key: string]: unknown;

  /**
   * @param rateLimit the client's per-client limit, charged by the script that issues or
   * rotates (no extra round trip); absent while rate limiting is off.
   */
  constructor(
    readonly client: OAuthClient,
    readonly services: GrantServices,
    readonly rateLimit?: RateLimitCharge,
  ) {
    this.id = client.id;
    this.grants = [...client.grantTypes];
    this.accessTokenLifetime =
      client.accessTokenTtlSeconds ?? services.config.oauth.accessTokenTtlSeconds;
    this.refreshTokenLifetime =
      client.refreshTokenTtlSeconds ?? services.config.oauth.refreshTokenTtlSeconds;
  }
}

/**
 * Thrown out of a grant for every failure that is not already a library error: the
 * library passes its own OAuthError subclasses through unchanged, so the token endpoint
 * gets our OAuthError (with its cause) back without unwrapping anything.
 */
export class GrantFailure extends OAuth2Server.OAuthError {
  constructor(readonly failure: OAuthError) {
    super(failure.description, { code: failure.status, name: failure.error });
  }
}

/**
 * Runs a grant's work: hands it our client and services, and turns anything it throws
 * (domain errors of the stores, our OAuthErrors, bugs) into one GrantFailure.
 */
export async function runGrant(
  client: OAuth2Server.Client,
  work: (grant: GrantClient) => Promise<OAuth2Server.Token>,
): Promise<OAuth2Server.Token> {
  if (!(client instanceof GrantClient)) {
    throw new GrantFailure(serverError.withCause(new Error('grant called without a GrantClient')));
  }
  try {
    return await work(client);
  } catch (err) {
    if (err instanceof OAuth2Server.OAuthError) throw err;
    throw new GrantFailure(toGrantError(err));
  }
}

/** RFC 6749 Appendix A: most parameters are 1*VSCHAR. */
const VSCHAR = /^[\x20-\x7E]+$/;

/** A required string parameter of the token request (the form parser already dropped empties). */
export function requireParam(request: OAuth2Server.Request, name: string): string {
  const value = optionalParam(request, name);
  if (value === undefined) {
    throw new OAuth2Server.InvalidRequestError(`Missing parameter: \`${name}\``);
  }
  return value;
}

/** An optional string parameter of the token request: undefined when absent or empty. */
export function optionalParam(request: OAuth2Server.Request, name: string): string | undefined {
  const value: unknown = request.body?.[name];
  if (typeof value !== 'string' || value === '') return undefined;
  if (!VSCHAR.test(value)) {
    throw new OAuth2Server.InvalidRequestError(`Invalid parameter: \`${name}\``);
  }
  return value;
}
