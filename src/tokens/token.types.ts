import type { GrantType } from '../clients/client.types';
import type { RateLimitCharge } from '../redis/rate-limit';

/** What a token is about: who it was issued to and for what. */
export interface TokenSubject {
  readonly clientId: string;
  /** Resource owner id; absent for client_credentials. */
  readonly userId?: string;
  readonly scope: readonly string[];
}

export interface IssueOptions {
  readonly grantType: GrantType;
  readonly withRefreshToken: boolean;
  readonly accessTtlSeconds: number;
  /** Capped by REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS, the family's absolute lifetime. */
  readonly refreshTtlSeconds: number;
  /**
   * OAuthClient.generation of the client as the caller authenticated it: nothing is issued
   * unless the stored client still has it (ClientChangedError).
   */
  readonly clientGeneration: string;
  /** Charged in the issuing script; over it RateLimitedError, nothing issued. */
  readonly rateLimit?: RateLimitCharge;
}

/** The client redeeming a refresh token, as it is now (RFC 6749 section 6). */
export interface RefreshingClient {
  readonly id: string;
  /** As in IssueOptions.clientGeneration. */
  readonly generation: string;
  /** The scopes the client is allowed now: new tokens never carry any other. */
  readonly scopes: readonly string[];
}

export interface RotationOptions {
  readonly accessTtlSeconds: number;
  /** Capped by the time left until the family's absolute end. */
  readonly refreshTtlSeconds: number;
  /** Narrower scope for the new access token (RFC 6749 section 6); absent or empty = as granted. */
  readonly scope?: readonly string[];
  /** Charged in the rotating script; over it RateLimitedError, nothing rotated. */
  readonly rateLimit?: RateLimitCharge;
}

/** Plaintext tokens, returned once to the caller and never stored. */
export interface IssuedTokens {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshToken?: string;
  readonly refreshTokenExpiresAt?: Date;
  readonly scope: readonly string[];
}

export type TokenKind = 'access_token' | 'refresh_token';

/** A live token's record, as introspection (RFC 7662 section 2.2) reports it. */
export interface TokenInfo extends TokenSubject {
  readonly kind: TokenKind;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Refresh rotation family (RFC 9700 section 4.14.2). */
  readonly familyId?: string;
}

/** An authorization code's record (RFC 6749 section 4.1.2), stored by digest. */
export interface AuthorizationCodeData extends TokenSubject {
  readonly redirectUri: string;
  /**
   * The S256 challenge the code is bound to; both absent for a code issued without PKCE (a
   * confidential client with require_pkce=false), which then refuses any code_verifier.
   */
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256';
  /** When the user last authenticated before this code was issued (seconds; OIDC auth_time). */
  readonly authTime?: number;
  readonly expiresAt: number;
}

/** A code presented at the token endpoint by an authenticated client (RFC 6749 section 4.1.3). */
export interface CodeRedemption {
  readonly client: RefreshingClient;
  readonly redirectUri: string;
  /** Absent: none was sent, which only a code issued without a challenge accepts. */
  readonly codeVerifier?: string;
  readonly accessTtlSeconds: number;
  /** 0: no refresh token (the client may not use the refresh_token grant). */
  readonly refreshTtlSeconds: number;
  /** The client's per-client limit, charged in the redeeming script (no extra round trip). */
  readonly rateLimit?: RateLimitCharge;
}

/** What a redemption issued, and for whom. */
export interface RedeemedCode extends IssuedTokens {
  /** Absent for a code issued without a user. */
  readonly userId?: string;
}
