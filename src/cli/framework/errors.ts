/** What went wrong, in the terms the exit codes use (see exit-codes.ts). */
export type FailureKind =
  | 'validation'
  | 'unauthenticated'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'unavailable'
  | 'timeout'
  | 'other'

/** Every failure the CLI reports on purpose; anything else is a bug and exits 1. */
export class CliError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** The server answered with an error status; `message` is the server's own `error` text. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super('other', message)
    this.name = 'ApiError'
  }
}

export const usageError = (message: string) => new CliError('validation', message)
export const notLoggedIn = (message: string) => new CliError('unauthenticated', message)
export const notFound = (message: string) => new CliError('not-found', message)
export const unavailable = (message: string) => new CliError('unavailable', message)
export const waitTimeout = (message: string) => new CliError('timeout', message)
