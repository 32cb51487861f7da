/** OAuth 2.0 client types (RFC 6749 section 2.1). */
export type ClientType = 'confidential' | 'public';

/** Grant types tollgate knows; which ones run is decided by config and the client record. */
export type GrantType = 'authorization_code' | 'client_credentials' | 'refresh_token' | 'password';

/** A registered client as the rest of the server sees it. Never carries a secret or its hash. */
export interface OAuthClient {
  readonly id: string;
  readonly name: string;
  readonly type: ClientType;
  /** Exact-match redirect URIs (RFC 9700 section 2.1: no pattern matching). */
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly GrantType[];
  readonly scopes: readonly string[];
  /** Optional per-client overrides of the configured token lifetimes. */
  readonly accessTokenTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CreateClientInput {
  /** Generated when absent. */
  readonly id?: string;
  readonly name: string;
  readonly type: ClientType;
  readonly redirectUris?: readonly string[];
  readonly grantTypes: readonly GrantType[];
  readonly scopes: readonly string[];
  readonly accessTokenTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
}

export type UpdateClientInput = Partial<Omit<CreateClientInput, 'id' | 'type'>>;

/** Returned by create and rotate: the only time a plaintext secret leaves the server. */
export interface ClientWithSecret {
  readonly client: OAuthClient;
  /** Absent for public clients. */
  readonly clientSecret?: string;
}
