/** Where a session was opened from, as the login request saw it. */
export interface ClientContext {
  readonly userAgent?: string;
  readonly ip?: string;
}

/** A live browser session, as read from storage. Never carries the session id itself. */
export interface Session {
  /**
   * SHA-256 digest of the session id: names the session in listings and admin calls
   * (ending one session of a user); it cannot be presented as a session cookie.
   */
  readonly handle: string;
  readonly userId: string;
  /** When the user last authenticated (OIDC `auth_time`, whole seconds). */
  readonly authTime: Date;
  readonly createdAt: Date;
  readonly lastActivity: Date;
  readonly userAgent: string;
  readonly ip: string;
  /** Scopes the user granted per client during this session (client id -> scopes). */
  readonly consents: Readonly<Record<string, readonly string[]>>;
  /** Fixed at creation: no update moves it. */
  readonly expiresAt: Date;
}

/** A new session id, handed to the caller once (it goes into the cookie, nowhere else). */
export interface IssuedSession {
  readonly id: string;
  readonly handle: string;
  readonly expiresAt: Date;
}
