/** Domain errors of the client registry; the admin API maps them to 400 / 404 / 409. */

/** Input that can never be a valid client (bad redirect URI, unknown grant type, ...). */
export class ClientValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ClientValidationError';
  }
}

export class ClientNotFoundError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${JSON.stringify(clientId)} not found`);
    this.name = 'ClientNotFoundError';
  }
}

/** Create with an explicit id that is already registered. */
export class ClientExistsError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${JSON.stringify(clientId)} already exists`);
    this.name = 'ClientExistsError';
  }
}
