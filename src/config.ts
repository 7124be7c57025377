import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

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
  /**
   * Alertmanager binaries (`npm run alertmanager:build`): a release directory with manifest.json
   * or the cache holding one directory per release. Tenant configurations are validated with its
   * kupe-amconfig; the `local` provider runs its alertmanager for each tenant.
   */
  alertmanagerDir: string
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
  /** How long an expired Idempotency-Key record may stay before it is purged (so how often purges run). */
  idempotencyPurgeSeconds: number
  /**
   * How long a tenant's usage estimate (status.currentUsage, the open period's Draft) may be
   * served before it is computed again; every write to its inputs drops it at once (spec §6.1:
   * at most 5 minutes). 0 computes it on every read.
   */
  usageRefreshSeconds: number
  logLevel: string
  /** The web console's static files (`npm run build:console`, decision 0026). */
  consoleDir: string
  /**
   * Member sign-in (spec §2.2, decision 0027): bearer JWTs from this OpenID Connect issuer
   * authenticate as the tenant member their verified `email` names. Unset: API keys only.
   */
  oidc?: { issuer: string; clientId: string; audience: string }
  /** The kubeOP half (docs/decisions/0010). */
  kubeop: {
    /** HS256 key for manager-API JWTs (decoded from base64); unset = only the admin token works. */
    jwtSigningKey?: Buffer
    /** Registry hosts apps may pull from; empty = any (kubeOP's default). */
    imageAllowlist: string[]
    /** Where outbound events go (kubeOP's KUBEOP_HOOK_URL); unset = none are sent. */
    hookUrl?: string
    /** HMAC-SHA256 key of the `X-KubeOP-Signature` header. */
    hookSecret?: string
    /** How often host clusters are checked. */
    healthSeconds: number
  }
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
  alertmanagerDir: 'KUPE_ALERTMANAGER_DIR',
  rateLimit: 'KUPE_RATE_LIMIT',
  rateBurst: 'KUPE_RATE_BURST',
  trustedProxies: 'KUPE_TRUSTED_PROXIES',
  simulatedStepSeconds: 'KUPE_SIMULATED_STEP_SECONDS',
  supportedVersions: 'KUPE_SUPPORTED_VERSIONS',
  taxRate: 'KUPE_TAX_RATE',
  invoiceDueDays: 'KUPE_INVOICE_DUE_DAYS',
  resyncSeconds: 'KUPE_RESYNC_SECONDS',
  idempotencyPurgeSeconds: 'KUPE_IDEMPOTENCY_PURGE_SECONDS',
  usageRefreshSeconds: 'KUPE_USAGE_REFRESH_SECONDS',
  logLevel: 'KUPE_LOG_LEVEL',
  jwtSigningKey: 'KUPE_JWT_SIGNING_KEY',
  imageAllowlist: 'KUPE_IMAGE_ALLOWLIST',
  hookUrl: 'KUPE_HOOK_URL',
  hookSecret: 'KUPE_HOOK_SECRET',
  hostClusterHealthSeconds: 'KUPE_HOST_CLUSTER_HEALTH_SECONDS',
  consoleDir: 'KUPE_CONSOLE_DIR',
  oidcIssuer: 'KUPE_OIDC_ISSUER',
  oidcClientId: 'KUPE_OIDC_CLIENT_ID',
  oidcAudience: 'KUPE_OIDC_AUDIENCE',
} as const

/** kubeOP's names for the same settings, accepted so an existing deployment's environment works. */
const KUBEOP_ENV: Partial<Record<keyof typeof ENV, string>> = {
  jwtSigningKey: 'KUBEOP_JWT_SIGNING_KEY',
  imageAllowlist: 'KUBEOP_IMAGE_ALLOWLIST',
  hookUrl: 'KUBEOP_HOOK_URL',
  hookSecret: 'KUBEOP_HOOK_SECRET',
}

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

/** A base64 HS256 key; kubeOP's placeholder `REPLACE-ME` counts as unset. At least 256 bits. */
function jwtKey(v: string | undefined): Buffer | undefined {
  if (!v || v === 'REPLACE-ME') return undefined
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) throw new Error('KUPE_JWT_SIGNING_KEY must be base64')
  const key = Buffer.from(v, 'base64')
  if (key.length < 32) throw new Error(`KUPE_JWT_SIGNING_KEY must decode to at least 32 bytes, got ${key.length}`)
  return key
}

function hookUrl(v: string | undefined): string | undefined {
  if (!v) return undefined
  const url = new URL(v)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`KUPE_HOOK_URL must be http(s), got "${v}"`)
  return url.toString()
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

/** The issuer must be an https URL (http only on loopback, for development and tests) and needs a client id. */
function oidc(issuer: string | undefined, clientId: string | undefined, audience: string | undefined): Config['oidc'] {
  if (!issuer) return undefined
  const url = new URL(issuer)
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error(`KUPE_OIDC_ISSUER must be https, got "${issuer}"`)
  if (!clientId) throw new Error('KUPE_OIDC_CLIENT_ID is required with KUPE_OIDC_ISSUER')
  return { issuer, clientId, audience: audience || clientId }
}

export function loadConfig(flags: ConfigOverrides, env: NodeJS.ProcessEnv): Config {
  const get = (k: keyof typeof ENV): string | undefined => {
    const kubeop = KUBEOP_ENV[k]
    return flags[k] ?? env[ENV[k]] ?? (kubeop ? env[kubeop] : undefined) ?? undefined
  }
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
    alertmanagerDir: get('alertmanagerDir') || join(homedir(), '.cache/kupe/alertmanager'),
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
    idempotencyPurgeSeconds: positive('KUPE_IDEMPOTENCY_PURGE_SECONDS', get('idempotencyPurgeSeconds') ?? '600'),
    usageRefreshSeconds: usageRefresh(get('usageRefreshSeconds') ?? '60'),
    logLevel: get('logLevel') ?? 'info',
    consoleDir: get('consoleDir') || fileURLToPath(new URL('../console/dist', import.meta.url)),
    oidc: oidc(get('oidcIssuer'), get('oidcClientId'), get('oidcAudience')),
    kubeop: {
      jwtSigningKey: jwtKey(get('jwtSigningKey')),
      imageAllowlist: (get('imageAllowlist') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
      hookUrl: hookUrl(get('hookUrl')),
      hookSecret: get('hookSecret') || undefined,
      healthSeconds: positive('KUPE_HOST_CLUSTER_HEALTH_SECONDS', get('hostClusterHealthSeconds') ?? '30'),
    },
  }
}
