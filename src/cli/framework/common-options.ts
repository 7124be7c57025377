import type { OptionDefinition } from './command.js'
import { usageError } from './errors.js'

/** `--limit`/`--continue` on every list (spec §1.4); without them the server returns everything. */
export const pageOptions: OptionDefinition[] = [
  { flags: '--limit <n>', description: 'return at most n items (1-1000); prints a --continue token when more remain' },
  { flags: '--continue <token>', description: 'continue a list from a previous --limit page' },
]
export interface PageOpts {
  limit?: string
  continue?: string
}

/** Query parameters for a list call. */
export function pageQuery(opts: PageOpts): { limit?: number; continue?: string } {
  const q: { limit?: number; continue?: string } = {}
  if (opts.limit !== undefined) {
    if (!/^\d+$/.test(opts.limit)) throw usageError(`invalid --limit "${opts.limit}"`)
    q.limit = Number(opts.limit)
  }
  if (opts.continue !== undefined) q.continue = opts.continue
  return q
}

/** Optimistic concurrency for writes (spec §1.6). */
export const ifMatchOption: OptionDefinition = {
  flags: '--if-match <etag>',
  description: 'only write if the object still has this ETag/resourceVersion (exit 5 otherwise)',
}
export interface IfMatchOpts {
  ifMatch?: string
}

/** Header object for an optional If-Match; a bare resourceVersion is quoted. */
export function ifMatchHeader(opts: IfMatchOpts): { 'if-match'?: string } {
  if (opts.ifMatch === undefined) return {}
  const v = opts.ifMatch.trim()
  return { 'if-match': /^\d+$/.test(v) ? `"${v}"` : v }
}
