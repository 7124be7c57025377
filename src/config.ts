import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * One typed configuration for `kupe server`, from flags and the environment (flags win).
 * Read once in the CLI and handed down; nothing else reads process.env.
 */
export interface Config {
  listen: { host: string; port: number }
  dataDir: string
  databaseUrl?: string
  adminToken?: string
  masterKey?: string
  provider: 'simulated' | 'local' | 'auto'
  /**
   * Kubernetes binaries for the `local` provider: a release directory built by `npm run k8s:build`
   * (with manifest.json) or the cache holding one directory per release.
   */
  k8sDir: string
  rateLimit: { perSecond: number; burst: number }
  trustedProxies: string[]
  /** Seconds the simulated provider takes for each step (provision, upgrade, delete). */
  simulatedStepSeconds: number
  /** Kubernetes minor versions offered, oldest first. */
  supportedVersions: string[]
  defaultAllocation: { cpu: string; memory: string; storage: string }
  billing: { taxRate: string; currency: string; dueDays: number }
  /** How often controllers re-list everything even without events. */
  resyncSeconds: number
  /**
   * How long a tenant's usage estimate (status.currentUsage, the open period's Draft) may be
   * served before it is computed again; every write to its inputs drops it at once (spec §6.1:
   * at most 5 minutes). 0 computes it on every read.
   */
  usageRefreshSeconds: number
  logLevel: string
}

export type ConfigOverrides = Partial<Record<keyof typeof ENV, string | undefined>>

/** Each setting: its environment variable. */
const ENV = {
  listen: 'KUPE_LISTEN',
  dataDir: 'KUPE_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  adminToken: 'KUPE_ADMIN_TOKEN',
  masterKey: 'KUPE_MASTER_KEY',
  provider: 'KUPE_PROVIDER',
  k8sDir: 'KUPE_K8S_DIR',
  k8sCache: 'KUPE_K8S_CACHE',
  rateLimit: 'KUPE_RATE_LIMIT',
  rateBurst: 'KUPE_RATE_BURST',
  trustedProxies: 'KUPE_TRUSTED_PROXIES',
  simulatedStepSeconds: 'KUPE_SIMULATED_STEP_SECONDS',
  supportedVersions: 'KUPE_SUPPORTED_VERSIONS',
  taxRate: 'KUPE_TAX_RATE',
  invoiceDueDays: 'KUPE_INVOICE_DUE_DAYS',
  resyncSeconds: 'KUPE_RESYNC_SECONDS',
  usageRefreshSeconds: 'KUPE_USAGE_REFRESH_SECONDS',
  logLevel: 'KUPE_LOG_LEVEL',
} as const

export const configEnvNames = ENV

function parseListen(v: string): { host: string; port: number } {
  const i = v.lastIndexOf(':')
  const host = i > 0 ? v.slice(0, i).replace(/^\[|\]$/g, '') : '0.0.0.0'
  const port = Number(i >= 0 ? v.slice(i + 1) : v)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid listen address "${v}"`)
  return { host, port }
}

function positive(name: string, v: string): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`)
  return n
}

/** Spec §6.1: the estimate is refreshed at least every 5 minutes. */
function usageRefresh(v: string): number {
  const n = Number(v)
  if (!/^[0-9]+$/.test(v) || n > 300) throw new Error(`KUPE_USAGE_REFRESH_SECONDS must be a whole number of seconds from 0 to 300, got "${v}"`)
  return n
}

function dueDays(v: string): number {
  if (!/^[0-9]{1,4}$/.test(v)) throw new Error(`KUPE_INVOICE_DUE_DAYS must be a whole number of days, got "${v}"`)
  return Number(v)
}

export function loadConfig(flags: ConfigOverrides, env: NodeJS.ProcessEnv): Config {
  const get = (k: keyof typeof ENV): string | undefined => flags[k] ?? env[ENV[k]] ?? undefined
  const provider = get('provider') ?? 'simulated'
  if (provider !== 'simulated' && provider !== 'local' && provider !== 'auto') {
    throw new Error(`unknown provider "${provider}" (simulated, local, auto)`)
  }
  return {
    listen: parseListen(get('listen') ?? '0.0.0.0:8080'),
    dataDir: get('dataDir') ?? './.kupe-data',
    databaseUrl: get('databaseUrl') || undefined,
    adminToken: get('adminToken') || undefined,
    masterKey: get('masterKey') || undefined,
    provider,
    k8sDir: get('k8sDir') || get('k8sCache') || join(homedir(), '.cache/kupe/k8s'),
    rateLimit: {
      perSecond: positive('KUPE_RATE_LIMIT', get('rateLimit') ?? '20'),
      burst: positive('KUPE_RATE_BURST', get('rateBurst') ?? '100'),
    },
    trustedProxies: (get('trustedProxies') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    simulatedStepSeconds: Number(get('simulatedStepSeconds') ?? '2'),
    supportedVersions: (get('supportedVersions') ?? '1.31,1.32,1.33').split(',').map((s) => s.trim()),
    defaultAllocation: { cpu: '1', memory: '2Gi', storage: '10Gi' },
    billing: { taxRate: get('taxRate') ?? '0', currency: 'GBP', dueDays: dueDays(get('invoiceDueDays') ?? '14') },
    resyncSeconds: Number(get('resyncSeconds') ?? '30'),
    usageRefreshSeconds: usageRefresh(get('usageRefreshSeconds') ?? '60'),
    logLevel: get('logLevel') ?? 'info',
  }
}
