/** OAuth 2.0 client types (RFC 6749 section 2.1). */
export type ClientType = 'confidential' | 'public';

/** Grant types tollgate knows; which ones run is decided by config and the client record. */
export type GrantType = 'authorization_code' | 'client_credentials' | 'refresh_token' | 'password';

/**
 * How a client authenticates at the token, introspection and revocation endpoints
 * (RFC 7591 section 2 names). Each client has exactly one; other methods are refused.
 */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** A registered client as the rest of the server sees it. Never carries a secret or its hash. */
export interface OAuthClient {
  readonly id: string;
  readonly name: string;
  readonly type: ClientType;
  /** `none` exactly for public clients. */
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /**
   * A resource server may introspect any token (RFC 7662 section 4); other clients only
   * their own. Such a client needs no grant type.
   */
  readonly resourceServer: boolean;
  /**
   * Whether an authorization request must carry an S256 `code_challenge` (PKCE, RFC 7636).
   * Always true for a public client: PKCE is the only thing binding its code to it (RFC 9700
   * section 2.1.1). A confidential client may be set to false for a legacy application that
   * cannot send one; its secret then protects the code, and a code issued without a challenge
   * refuses any `code_verifier` (downgrade protection, RFC 9700 section 2.1.1).
   */
  readonly requirePkce: boolean;
  /**
   * Random id fixed at creation: tokens are only issued while the stored client has the
   * same generation, so a deleted and re-created id never inherits anything.
   */
  readonly generation: string;
  /** Exact-match redirect URIs (RFC 9700 section 2.1: no pattern matching). */
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly GrantType[];
  readonly scopes: readonly string[];
  /**
   * Service cache namespaces (`/api/v1/cache/{service}/...`) this client's tokens may use,
   * with the `cache:read` / `cache:write` scopes; none by default.
   */
  readonly cacheServices: readonly string[];
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
  /** Default: `client_secret_basic` for confidential clients, `none` for public ones. */
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** Default false. */
  readonly resourceServer?: boolean;
  /** Default true; false only for a confidential client. */
  readonly requirePkce?: boolean;
  /** Default none. */
  readonly redirectUris?: readonly string[];
  readonly grantTypes: readonly GrantType[];
  readonly scopes: readonly string[];
  /** Default none. */
  readonly cacheServices?: readonly string[];
  readonly accessTokenTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
}

/** TTL overrides of a client; in an update, `null` clears one (back to the server default). */
type TtlField = 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds';

/** A partial change: omitted fields stay as they are; `id` and `type` never change. */
export type UpdateClientInput = Partial<Omit<CreateClientInput, 'id' | 'type' | TtlField>> & {
  readonly [K in TtlField]?: number | null;
};

/** The method a client gets when its registration names none. */
export function defaultAuthMethod(type: ClientType): TokenEndpointAuthMethod {
  return type === 'public' ? 'none' : 'client_secret_basic';
}

/** Returned by create and rotate: the only time a plaintext secret leaves the server. */
export interface ClientWithSecret {
  readonly client: OAuthClient;
  /** Absent for public clients. */
  readonly clientSecret?: string;
}
