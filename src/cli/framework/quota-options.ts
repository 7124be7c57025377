import type { OptionDefinition } from './command.js'
import { usageError } from './errors.js'

export const quotaOptions: OptionDefinition[] = [
  { flags: '--cpu <quantity>', description: 'CPU quota, e.g. 2 or 500m (default 1)' },
  { flags: '--memory <quantity>', description: 'memory quota, e.g. 4Gi (default 1Gi)' },
  { flags: '--storage <quantity>', description: 'storage quota, e.g. 20Gi (default 10Gi)' },
  { flags: '--pods <n>', description: 'pod count quota (default 10)' },
]
export interface QuotaOpts {
  cpu?: string
  memory?: string
  storage?: string
  pods?: string
}

/** The quota the flags ask for, or undefined when none is given (the server's defaults apply). */
export function quotaOf(opts: QuotaOpts): { cpu?: string; memory?: string; storage?: string; pods?: number } | undefined {
  if (opts.pods !== undefined && !/^[1-9][0-9]*$/.test(opts.pods)) throw usageError('--pods must be a positive whole number')
  const quota = {
    ...(opts.cpu !== undefined ? { cpu: opts.cpu } : {}),
    ...(opts.memory !== undefined ? { memory: opts.memory } : {}),
    ...(opts.storage !== undefined ? { storage: opts.storage } : {}),
    ...(opts.pods !== undefined ? { pods: Number(opts.pods) } : {}),
  }
  return Object.keys(quota).length > 0 ? quota : undefined
}
