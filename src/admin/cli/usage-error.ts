/**
 * Wrong command line: exit code 2 with a usage text, that of the command group when known
 * (`usage`), else the general one.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}
