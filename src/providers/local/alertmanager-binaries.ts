import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { executable, RELEASE } from './release-files.js'

/** One Alertmanager release built by `npm run alertmanager:build` (tools/alertmanager/build.sh). */
export interface AlertmanagerRelease {
  /** `v0.35.0` */
  version: string
  /** The alertmanager server the `local` provider runs per tenant. */
  alertmanager: string
  /** The release's configuration loader and secret-field list (tools/alertmanager/kupe-amconfig). */
  amconfig: string
}



function readRelease(dir: string): AlertmanagerRelease | undefined {
  let manifest: { alertmanager?: unknown }
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { alertmanager?: unknown }
  } catch {
    return undefined
  }
  if (typeof manifest.alertmanager !== 'string' || !RELEASE.test(manifest.alertmanager)) return undefined
  const alertmanager = join(dir, 'alertmanager')
  const amconfig = join(dir, 'kupe-amconfig')
  if (!executable(alertmanager) || !executable(amconfig)) return undefined
  return { version: manifest.alertmanager, alertmanager, amconfig }
}

const numeric = (v: string) => (RELEASE.exec(v) ?? []).slice(1).map(Number)
const byVersion = (a: AlertmanagerRelease, b: AlertmanagerRelease) => {
  const [x, y] = [numeric(a.version), numeric(b.version)]
  return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!
}

/**
 * The newest complete release under `dir` (itself a release directory, or the cache holding one
 * per release), read from disk on every call so a release built while the server runs is used.
 */
export function findAlertmanagerRelease(dir: string): AlertmanagerRelease | undefined {
  const own = readRelease(dir)
  if (own) return own
  if (!existsSync(dir)) return undefined
  const found = readdirSync(dir).filter((n) => RELEASE.test(n)).map((n) => readRelease(join(dir, n)))
  return found.filter((r): r is AlertmanagerRelease => r !== undefined).sort(byVersion).pop()
}
