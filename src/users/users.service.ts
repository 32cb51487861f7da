import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from './password-hasher';
import { UserNotFoundError, UserValidationError } from './user.errors';
import { UserRecord, UserStore } from './user.store';
import {
  CreateUserInput,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  UpdateUserInput,
  User,
  USERNAME_PATTERN,
} from './user.types';

/**
 * The user registry: creation with a unique username, profile and disabled flag, password
 * reset, deletion, and password verification for sign-in. Passwords are hashed here and
 * never leave this class; the User it returns carries no hash.
 *
 * Ending a user's sessions and tokens on disable or delete is the admin layer's job
 * (admin/user-admin.service.ts), which knows the tokens module.
 */
@Injectable()
export class UsersService implements OnModuleInit {
  private readonly minPasswordLength: number;
  /** Hash of a random password, verified for unknown users so they cost one KDF run too. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly store: UserStore,
    private readonly hasher: PasswordHasher,
    config: AppConfig,
  ) {
    this.minPasswordLength = config.passwords.minLength;
  }

  /** Makes the dummy hash at start-up, so the first unknown username is not slower either. */
  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  /**
   * Creates a user. `problems` are shape problems found by the caller (DTO checks); they are
   * reported together with this method's own, in one UserValidationError.
   */
  async create(input: CreateUserInput, problems: readonly string[] = []): Promise<User> {
    const all = [
      ...problems,
      ...this.usernameProblems(input.username),
      ...this.passwordProblems(input.password),
      ...displayNameProblems(input.displayName),
    ];
    if (all.length > 0) throw new UserValidationError(all);
    const now = new Date().toISOString();
    const record: UserRecord = {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      disabled: input.disabled ?? false,
      passwordHash: await this.hasher.hash(input.password),
      createdAt: now,
      updatedAt: now,
    };
    await this.store.create(record);
    return toUser(record);
  }

  async get(id: string): Promise<User | null> {
    const record = await this.store.find(id);
    return record && toUser(record);
  }

  /** Like `get`, but an unknown id is UserNotFoundError. */
  async require(id: string): Promise<User> {
    const user = await this.get(id);
    if (!user) throw new UserNotFoundError(id);
    return user;
  }

  async list(): Promise<User[]> {
    return (await this.store.list()).map(toUser);
  }

  /** Changes the disabled flag and/or display name; returns the user as stored after it. */
  async update(
    id: string,
    input: UpdateUserInput,
    problems: readonly string[] = [],
  ): Promise<User> {
    const all = [...problems, ...displayNameProblems(input.displayName ?? undefined)];
    if (all.length > 0) throw new UserValidationError(all);
    await this.store.update(id, { ...input, updatedAt: new Date().toISOString() });
    return this.require(id);
  }

  async resetPassword(
    id: string,
    password: string,
    problems: readonly string[] = [],
  ): Promise<User> {
    const all = [...problems, ...this.passwordProblems(password)];
    if (all.length > 0) throw new UserValidationError(all);
    const passwordHash = await this.hasher.hash(password);
    await this.store.update(id, { passwordHash, updatedAt: new Date().toISOString() });
    return this.require(id);
  }

  /** False when there was no such user. */
  delete(id: string): Promise<boolean> {
    return this.store.delete(id);
  }

  /**
   * The user `username` (any case) if `password` is theirs and they are not disabled; null
   * otherwise, without saying why. Every path costs one KDF run: an unknown name is checked
   * against a dummy hash made with the configured parameters, so response time does not
   * reveal which usernames exist (OWASP Authentication Cheat Sheet).
   */
  async verifyPassword(username: string, password: string): Promise<User | null> {
    if (password.length > MAX_PASSWORD_LENGTH) return null;
    const record = await this.store.findByUsername(username);
    const matches = await this.hasher.verify(
      password,
      record?.passwordHash ?? (await this.dummy()),
    );
    return record && matches && !record.disabled ? toUser(record) : null;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(32).toString('base64url'));
    return this.dummyHash;
  }

  private usernameProblems(username: string | undefined): string[] {
    if (username === undefined) return [];
    return USERNAME_PATTERN.test(username)
      ? []
      : [
          'username must be 1-128 characters: ASCII letters, digits and . _ @ + -, ' +
            'starting with a letter or digit',
        ];
  }

  private passwordProblems(password: string | undefined): string[] {
    if (password === undefined) return [];
    const length = [...password].length;
    if (length < this.minPasswordLength)
      return [`password must be at least ${this.minPasswordLength} characters`];
    if (password.length > MAX_PASSWORD_LENGTH)
      return [`password must be at most ${MAX_PASSWORD_LENGTH} characters`];
    return [];
  }
}

function displayNameProblems(displayName: string | undefined): string[] {
  if (displayName === undefined) return [];
  if (displayName.trim() === '' || displayName.length > MAX_DISPLAY_NAME_LENGTH)
    return [`display_name must be 1-${MAX_DISPLAY_NAME_LENGTH} characters, not only spaces`];
  return [];
}

function toUser(record: UserRecord): User {
  const { passwordHash: _hash, ...user } = record;
  return user;
}
