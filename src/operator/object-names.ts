import { contentHash } from './content-hash.js'

const MAX_NAME = 63

/**
 * A DNS label of at most 63 characters from `parts` joined by dashes. Too long, it keeps a prefix
 * and ends with a hash of the whole, so two different long names never meet.
 */
export function boundedName(...parts: string[]): string {
  const full = parts.join('-')
  if (full.length <= MAX_NAME) return full
  const hash = contentHash(full, 8)
  return `${full.slice(0, MAX_NAME - hash.length - 1).replace(/-+$/, '')}-${hash}`
}
