/**
 * An error an operator fixes (bad setting, unreadable file), not a bug: main.ts prints
 * its message alone, without a stack trace, and exits with code 1.
 */
export class OperatorError extends Error {}
