import { ApiError, CliError, type FailureKind } from './errors.js'

/** The CLI's exit codes (docs/cli.md); scripts rely on them. */
export const Exit = {
  Ok: 0,
  Other: 1,
  Validation: 2,
  Unauthenticated: 3,
  NotFound: 4,
  Conflict: 5,
  RateLimited: 6,
  Unavailable: 7,
  WaitTimeout: 8,
} as const
export type ExitCode = (typeof Exit)[keyof typeof Exit]

const BY_KIND: Record<FailureKind, ExitCode> = {
  validation: Exit.Validation,
  unauthenticated: Exit.Unauthenticated,
  'not-found': Exit.NotFound,
  conflict: Exit.Conflict,
  'rate-limited': Exit.RateLimited,
  unavailable: Exit.Unavailable,
  timeout: Exit.WaitTimeout,
  other: Exit.Other,
}

/** HTTP status → exit code (spec §3.2 statuses, grouped the way a script reacts to them). */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 400 || status === 413 || status === 415 || status === 422) return Exit.Validation
  if (status === 401 || status === 403) return Exit.Unauthenticated
  if (status === 404) return Exit.NotFound
  if (status === 409 || status === 412) return Exit.Conflict
  if (status === 429) return Exit.RateLimited
  if (status === 502 || status === 503 || status === 504) return Exit.Unavailable
  return Exit.Other
}

/** The one place that turns a failure into an exit code (house rule 9). */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof ApiError) return exitCodeForStatus(err.status)
  if (err instanceof CliError) return BY_KIND[err.kind]
  return Exit.Other
}
