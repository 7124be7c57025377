import { randomBytes } from 'node:crypto'
import { crc32 } from 'node:zlib'

/**
 * Raw API keys and cluster credentials (spec §2.1):
 * `<prefix>_<hex8>_<secret43><check6>`, check = base62 CRC-32 of everything before it.
 */
export type TokenPrefix = 'kupe' | 'kupec'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function base62Checksum(text: string): string {
  let n = crc32(text)
  let out = ''
  while (n > 0) {
    out = BASE62[n % 62] + out
    n = Math.floor(n / 62)
  }
  return out.padStart(6, '0')
}

/** Whether `check` is `base62Checksum(text)`, without building that string (every request parses a token). */
function checksumMatches(text: string, check: string): boolean {
  if (check.length !== 6) return false
  let n = crc32(text)
  for (let i = 5; i >= 0; i--) {
    if (check[i] !== BASE62[n % 62]) return false
    n = Math.floor(n / 62)
  }
  return n === 0
}

export function newTokenId(): string {
  return randomBytes(4).toString('hex')
}

export function buildToken(prefix: TokenPrefix, hex8: string): string {
  const body = `${prefix}_${hex8}_${randomBytes(32).toString('base64url')}`
  return body + base62Checksum(body)
}

/** Parses by position (never by splitting on `_`); returns the id's hex part when well formed. */
export function parseToken(prefix: TokenPrefix, token: string): string | undefined {
  const head = prefix.length + 1
  if (token.length !== head + 8 + 1 + 43 + 6) return undefined
  if (!token.startsWith(`${prefix}_`) || token[head + 8] !== '_') return undefined
  const hex8 = token.slice(head, head + 8)
  if (!/^[0-9a-f]{8}$/.test(hex8)) return undefined
  const secret = token.slice(head + 9, head + 52)
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined
  if (!checksumMatches(token.slice(0, head + 52), token.slice(head + 52))) return undefined
  return hex8
}
