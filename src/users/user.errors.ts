/** Domain errors of the user registry; the admin API maps them to 400 / 404 / 409. */

/** Input that can never be a valid user (bad username, short password, ...). */
export class UserValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'UserValidationError';
  }
}

export class UserNotFoundError extends Error {
  constructor(readonly userId: string) {
    super(`user ${JSON.stringify(userId)} not found`);
    this.name = 'UserNotFoundError';
  }
}

/** Create with a username that is taken (compared without case). */
export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`username ${JSON.stringify(username)} is already taken`);
    this.name = 'UsernameTakenError';
  }
}
