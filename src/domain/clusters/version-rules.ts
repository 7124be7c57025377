import { errors, type KupeError } from '../errors.js'

/**
 * Kubernetes version rules of spec §5.2 and §3.4, as pure functions over `MAJOR.MINOR` strings
 * and the server's supported versions (oldest first).
 */
type Version = [major: number, minor: number]

function parse(v: string): Version {
  const [major, minor] = v.split('.').map(Number)
  return [major ?? 0, minor ?? 0]
}

function compare(a: string, b: string): number {
  const [am, an] = parse(a)
  const [bm, bn] = parse(b)
  return am - bm || an - bn
}

/** The newest supported version: the default on create. */
export function defaultVersion(supported: readonly string[]): string {
  return [...supported].sort(compare)[supported.length - 1]!
}

export function unsupportedVersion(v: string, supported: readonly string[]): KupeError | undefined {
  return supported.includes(v) ? undefined : errors.versionUnsupported(v, [...supported])
}

/**
 * `VERSION_RETIRING` applies to the oldest supported version (§3.4) — when a newer one is offered:
 * a server offering a single version (a local provider with one release built) retires nothing.
 */
export function isRetiring(v: string, supported: readonly string[]): boolean {
  return supported.length > 1 && [...supported].sort(compare)[0] === v
}

export function nextMinor(v: string): string {
  const [major, minor] = parse(v)
  return `${major}.${minor + 1}`
}

/**
 * A version change on PATCH: the current version is a no-op; otherwise the version must be
 * supported, not lower, and exactly the next minor of the same major — in that order.
 */
export function versionChangeError(current: string, requested: string, supported: readonly string[]): KupeError | undefined {
  if (requested === current) return undefined
  const unsupported = unsupportedVersion(requested, supported)
  if (unsupported) return unsupported
  if (compare(requested, current) < 0) return errors.versionDowngrade(current, requested)
  if (requested !== nextMinor(current)) return errors.upgradeSkip(current, nextMinor(current))
  return undefined
}
