import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so equal values hash equally whatever order their keys came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** The first `length` hex digits of the SHA-256 of `value`'s canonical JSON. */
export const contentHash = (value: unknown, length = 10): string => createHash('sha256').update(canonical(value)).digest('hex').slice(0, length)
