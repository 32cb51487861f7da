/** A resource owner as the rest of the server sees it: never carries the password hash. */
export interface User {
  /** Random UUID; the `sub` of the tokens issued for this user. */
  readonly id: string;
  /** As entered at creation; unique ignoring case (normalizeUsername). Never changes. */
  readonly username: string;
  readonly displayName?: string;
  /** A disabled user cannot sign in; their record stays. */
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CreateUserInput {
  readonly username: string;
  readonly password: string;
  readonly displayName?: string;
  readonly disabled?: boolean;
}

/** PATCH: omitted fields stay as they are; `displayName: null` removes it. */
export interface UpdateUserInput {
  readonly disabled?: boolean;
  readonly displayName?: string | null;
}

/**
 * ASCII letters, digits and `. _ @ + -`, starting with a letter or digit, at most 128
 * characters: e-mail addresses fit, and no two names differ only by Unicode look-alikes or
 * case folding rules (the index lowercases ASCII only, the same in TypeScript and Lua).
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** Upper bound on a password: scrypt's cost does not depend on it, but request bodies should. */
export const MAX_PASSWORD_LENGTH = 1024;

export const MAX_DISPLAY_NAME_LENGTH = 200;

/** The form of a username in its unique index (keys.username). */
export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}
