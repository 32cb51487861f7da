import { Injectable } from '@nestjs/common';
import type { OAuthClient } from '../clients/client.types';
import { AppConfig } from '../config/app-config';
import { RateLimitService } from '../ratelimit/rate-limit.service';
import { TokensService } from '../tokens/tokens.service';
import type { TokenInfo, TokenKind } from '../tokens/token.types';
import { ClientAuthenticator } from './client-authentication';
import { invalidRequest } from './errors';
import type { OAuthForm } from './form-body';

/** RFC 7662 section 2.2 response. Inactive tokens reveal nothing else. */
export type IntrospectionResponse =
  | { readonly active: false }
  | {
      readonly active: true;
      readonly scope: string;
      readonly client_id: string;
      readonly sub: string;
      readonly exp: number;
      readonly iat: number;
      readonly token_type: string;
      readonly aud: string;
      readonly iss: string;
    };

/** The body, and the RateLimit headers of the caller's per-client limit (none while off). */
export interface IntrospectionAnswer {
  readonly body: IntrospectionResponse;
  readonly headers: Readonly<Record<string, string>>;
}

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });
const TOKEN_KINDS: ReadonlySet<string> = new Set<TokenKind>(['access_token', 'refresh_token']);

/** Parses token_type_hint; unknown values are ignored (RFC 7662 section 2.1, RFC 7009 section 2.1). */
export function tokenHint(form: OAuthForm): TokenKind | undefined {
  const hint = form.token_type_hint;
  return hint !== undefined && TOKEN_KINDS.has(hint) ? (hint as TokenKind) : undefined;
}

/**
 * RFC 7662 section 4: the caller must be authorized to learn about the token. Resource
 * servers (clients registered with `resource_server`) may introspect any token; any other
 * client only the tokens issued to it.
 */
export function mayIntrospect(caller: OAuthClient, info: TokenInfo): boolean {
  return caller.resourceServer || info.clientId === caller.id;
}

/**
 * POST /oauth2/introspect (RFC 7662). The caller authenticates first as a confidential
 * client (RFC 7662 section 2.1; a failed authentication touches no token state, and is
 * charged to the caller's IP); the token lookup is then one read-only Redis round trip
 * (client records are cached). The caller's per-client rate limit is charged by its own
 * script sent in the same tick as the lookup: with REDIS_AUTO_PIPELINING both go out in one
 * write and come back in one read, so the limit adds no round trip, and the lookup script
 * stays read-only (`no-writes`, replica-safe). A limited caller gets 429 and no answer.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly tokens: TokensService,
    private readonly config: AppConfig,
    private readonly limits: RateLimitService,
  ) {}

  async introspect(
    authorization: string | undefined,
    form: OAuthForm,
    ip: string,
  ): Promise<IntrospectionAnswer> {
    const caller = await this.authenticator.authenticate(authorization, form, 'introspection', ip);
    if (form.token === undefined) throw invalidRequest.withHint('Missing parameter: `token`');
    // Both calls are issued before either is awaited: one auto-pipelined write.
    const [decision, info] = await Promise.all([
      this.limits.enforce('client', caller.id),
      this.tokens.introspect(form.token, tokenHint(form)),
    ]);
    const headers = decision ? this.limits.headers('client', decision) : {};
    return { body: this.answer(caller, info), headers };
  }

  private answer(caller: OAuthClient, info: TokenInfo | null): IntrospectionResponse {
    // Redis expiry is authoritative, but a record read in its last second must not be active.
    if (!info || info.expiresAt <= Math.floor(Date.now() / 1000)) return INACTIVE;
    return mayIntrospect(caller, info) ? this.describe(info) : INACTIVE;
  }

  private describe(info: TokenInfo): IntrospectionResponse {
    return {
      active: true,
      scope: info.scope.join(' '),
      client_id: info.clientId,
      // client_credentials tokens have no resource owner: the client is the subject.
      sub: info.userId ?? info.clientId,
      exp: info.expiresAt,
      iat: info.issuedAt,
      // RFC 7662 section 2.2: token_type as in RFC 6749 section 5.1 (access tokens are Bearer).
      token_type: info.kind === 'access_token' ? 'Bearer' : 'refresh_token',
      // No resource indicators (RFC 8707) yet: the audience is the client the token was issued to.
      aud: info.clientId,
      iss: this.config.oauth.issuer,
    };
  }
}
