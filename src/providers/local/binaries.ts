import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { executable, RELEASE } from './release-files.js'

/** One Kubernetes release built by `npm run k8s:build` (tools/k8s/build.sh). */
export interface KubeRelease {
  /** Full release, `v1.37.2`. */
  version: string
  /** What clusters ask for, `1.37`. */
  minor: string
  patch: number
  /** kupe-apiserver when built (tools/k8s/build-kupe-apiserver.sh), else the stock kube-apiserver. */
  apiserver: string
  /** Whether `apiserver` is kupe-apiserver, which can turn its token success cache off. */
  tokenCacheConfigurable: boolean
  controllerManager: string
  etcd: string
}



/** A release directory: manifest.json naming the release, and the binaries the provider runs. */
function readRelease(dir: string): KubeRelease | undefined {
  const manifestPath = join(dir, 'manifest.json')
  if (!existsSync(manifestPath)) return undefined
  let manifest: { kubernetes?: unknown }
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { kubernetes?: unknown }
  } catch {
    return undefined
  }
  const m = typeof manifest.kubernetes === 'string' ? RELEASE.exec(manifest.kubernetes) : null
  if (!m) return undefined
  const [stock, kupe, controllerManager, etcd] = ['kube-apiserver', 'kupe-apiserver', 'kube-controller-manager', 'etcd'].map((b) => join(dir, b)) as [string, string, string, string]
  if (!executable(stock) || !executable(controllerManager) || !executable(etcd)) return undefined
  const tokenCacheConfigurable = executable(kupe)
  return {
    version: manifest.kubernetes as string, minor: `${m[1]}.${m[2]}`, patch: Number(m[3]),
    apiserver: tokenCacheConfigurable ? kupe : stock, tokenCacheConfigurable, controllerManager, etcd,
  }
}

const byVersion = (a: KubeRelease, b: KubeRelease) => {
  const [am, an] = a.minor.split('.').map(Number)
  const [bm, bn] = b.minor.split('.').map(Number)
  return am! - bm! || an! - bn! || a.patch - b.patch
}

/**
 * The complete releases under `k8sDir` (itself a release directory, or the cache holding one per
 * release), oldest first, keeping only the newest patch of each minor: that is the binary a
 * cluster of that minor runs, so building a newer patch upgrades clusters on their next start.
 */
export function findKubeReleases(k8sDir: string): KubeRelease[] {
  const own = readRelease(k8sDir)
  const found = own
    ? [own]
    : existsSync(k8sDir)
      ? readdirSync(k8sDir).filter((n) => RELEASE.test(n)).map((n) => readRelease(join(k8sDir, n))).filter((r): r is KubeRelease => r !== undefined)
      : []
  const newest = new Map<string, KubeRelease>()
  for (const r of found.sort(byVersion)) newest.set(r.minor, r)
  return [...newest.values()]
}
