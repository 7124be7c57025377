import type { IncomingMessage } from 'node:http'

/**
 * A path with a broken percent-escape (`%zz`, a cut-off UTF-8 sequence) is taken literally: its
 * `%` signs are escaped, so the request goes through the normal pipeline (rate limit, 401, then
 * the parameter's own rule, §1.9) instead of failing inside the router with a framework error
 * that has neither the spec's body nor its headers.
 */
export function escapeBrokenPercents(req: IncomingMessage): string {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  if (!path.includes('%')) return url
  try {
    decodeURIComponent(path)
    return url
  } catch {
    return path.replaceAll('%', '%25') + (q < 0 ? '' : url.slice(q))
  }
}
