import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pino, type Logger } from 'pino'
import { Registry, collectDefaultMetrics } from 'prom-client'
import type { Config } from './config.js'
import type { DomainDeps } from './domain/deps.js'
import { createHostOperators, type HostOperators } from './operator/host-operators.js'
import { systemClock, type Clock } from './lib/clock.js'
import { deriveKeys } from './lib/secrets-crypto.js'
import { openDatabase, type Database } from './store/connect.js'
import { findKubeReleases } from './providers/local/binaries.js'
import { providerFactories } from './providers/registry.js'
import type { ClusterProvider, ProviderDeps } from './providers/types.js'
import { createOidcVerifier } from './domain/auth/oidc.js'
import { KeyUseStamps } from './domain/apikeys/key-use-stamps.js'


/** The app container (STYLE rule 14): built once by `kupe server`, sliced by every consumer. */
export interface Container extends DomainDeps {
  engine: Database['engine']
  logger: Logger
  /** Operators for the registered host clusters, run in this process (issue 11). */
  hostOperators: HostOperators
  metrics: Registry
  signals: EventEmitter
  close(): Promise<void>
}

/** Reads a secret file from the data directory, or creates it once with mode 0600. */
function readOrCreateSecret(dataDir: string, name: string, make: () => string): { value: string; created: boolean } {
  const path = join(dataDir, name)
  if (existsSync(path)) return { value: readFileSync(path, 'utf8').trim(), created: false }
  mkdirSync(dataDir, { recursive: true })
  const value = make()
  writeFileSync(path, `${value}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
  return { value, created: true }
}

/**
 * The cluster backend of `config.provider`. `auto` is `local` when Kubernetes binaries are built
 * (`npm run k8s:build`), else `simulated`; `local` without binaries refuses to start.
 */
function selectProvider(config: Config, deps: Pick<ProviderDeps, 'keys' | 'clock' | 'logger' | 'signal' | 'db'>): ClusterProvider {
  const built = findKubeReleases(config.k8sDir).map((r) => r.version)
  if (config.provider === 'local' && built.length === 0) {
    throw new Error(`the local provider needs Kubernetes binaries and ${config.k8sDir} has none: run \`npm run k8s:build\``)
  }
  const name = config.provider === 'auto' ? (built.length > 0 ? 'local' : 'simulated') : config.provider
  const factory = providerFactories[name]
  if (!factory) throw new Error(`cluster provider "${name}" is not available in this build`)
  const provider = factory({
    ...deps, stepSeconds: config.simulatedStepSeconds, versions: config.supportedVersions, dataDir: config.dataDir, k8sDir: config.k8sDir, alertmanagerDir: config.alertmanagerDir,
  })
  const why = config.provider !== 'auto' ? 'configured' : built.length > 0 ? `auto: Kubernetes ${built.join(', ')} built in ${config.k8sDir}` : `auto: no Kubernetes binaries in ${config.k8sDir}`
  deps.logger.info({ provider: provider.name, versions: provider.versions(), reason: why }, 'cluster provider selected')
  return provider
}

export interface ContainerOptions {
  clock?: Clock
  logger?: Logger
  /** PGlite in memory instead of the data directory (tests). */
  memoryDb?: boolean
}

export async function createContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const logger =
    opts.logger ??
    pino({
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.key', '*.token', '*.data'], censor: '[redacted]' },
    })
  const master = config.masterKey
    ? { value: config.masterKey, created: false }
    : readOrCreateSecret(config.dataDir, 'master.key', () => randomBytes(32).toString('base64'))
  const admin = config.adminToken
    ? { value: config.adminToken, created: false }
    : readOrCreateSecret(config.dataDir, 'admin-token', () => `kupeadm_${randomBytes(32).toString('base64url')}`)
  if (admin.created) {
    // Printed once, on the start that generated it, straight to the terminal rather than the log stream.
    process.stderr.write(
      [
        '',
        '================================================================',
        ' Kupe generated a platform admin token (shown only this once):',
        `   ${admin.value}`,
        ` Stored in ${join(config.dataDir, 'admin-token')} (mode 0600).`,
        ' Use it as KUPE_ADMIN_TOKEN for `kupe admin …` commands.',
        '================================================================',
        '',
      ].join('\n'),
    )
  }
  const signals = new EventEmitter()
  signals.setMaxListeners(50)
  const clock = opts.clock ?? systemClock
  const keys = deriveKeys(Buffer.from(master.value))
  const metrics = new Registry()
  collectDefaultMetrics({ register: metrics })
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, memory: opts.memoryDb, metrics, logger })
  let provider: ClusterProvider
  try {
    provider = selectProvider(config, { keys, clock, logger, signal: (kind, key) => signals.emit(kind, key), db: database.db })
  } catch (err) {
    await database.close()
    throw err
  }
  const hostOperators = createHostOperators({ logger, metrics, clock, resyncMs: config.resyncSeconds * 1000 })
  const keyUses = new KeyUseStamps({ db: database.db, clock, logger })
  return {
    config,
    provider,
    hostOperators,
    db: database.db,
    engine: database.engine,
    readCache: database.readCache,
    clock,
    keyUses,
    logger,
    keys,
    adminToken: admin.value,
    ...(config.oidc ? { oidc: createOidcVerifier(config.oidc) } : {}),
    metrics,
    signals,
    signal: (kind, key) => signals.emit(kind, key),
    close: async () => {
      await hostOperators.stopAll()
      await provider.close?.()
      await keyUses.close().catch((err) => logger.warn({ err }, 'API key use stamps not written at shutdown'))
      await database.close()
    },
  }
}
