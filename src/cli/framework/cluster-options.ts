import { readFileSync } from 'node:fs'
import type { OptionDefinition } from './command.js'
import { parseDuration } from './duration.js'
import { usageError } from './errors.js'

export const waitOptions: OptionDefinition[] = [
  { flags: '-w, --wait', description: 'wait until done, showing progress' },
  { flags: '--timeout <duration>', description: 'give up waiting after this long (exit 8), e.g. 90s, 10m', default: '10m' },
]
export interface WaitOpts {
  wait?: boolean
  timeout: string
}
export const timeoutMs = (opts: { timeout: string }) => parseDuration(opts.timeout, '--timeout')

export const alertsOptions: OptionDefinition[] = [
  { flags: '--alerts <json>', description: 'alert settings as a JSON object (≤ 16 KiB)' },
  { flags: '--alerts-file <path>', description: 'alert settings from a JSON file' },
]
export interface AlertsOpts {
  alerts?: string
  alertsFile?: string
}

/** The `alerts` object from --alerts or --alerts-file, or undefined when neither is given. */
export function alertsOf(opts: AlertsOpts): Record<string, unknown> | undefined {
  if (opts.alerts !== undefined && opts.alertsFile !== undefined) throw usageError('pass --alerts or --alerts-file, not both')
  const text = opts.alerts ?? (opts.alertsFile !== undefined ? readFileSync(opts.alertsFile, 'utf8') : undefined)
  if (text === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw usageError(`alerts are not valid JSON: ${(err as Error).message}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw usageError('alerts must be a JSON object')
  return value as Record<string, unknown>
}
