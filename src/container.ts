import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pino, type Logger } from 'pino'
import { Registry, collectDefaultMetrics } from 'prom-client'
import type { Config } from './config.js'
import { systemClock, type Clock } from './lib/clock.js'
import { deriveKeys, type Keys } from './lib/secrets-crypto.js'
import { openDatabase, type Database } from './store/connect.js'
import type { Db } from './store/db.js'
import { providerFactories } from './providers/registry.js'
import type { ClusterProvider } from './providers/types.js'

/** Wake-ups for controllers; a missed one only delays work until the next resync. */
export type Signal = 'clusters' | 'secrets' | 'billing'

export interface Container {
  config: Config
  db: Db
  engine: Database['engine']
  clock: Clock
  logger: Logger
  keys: Keys
  /** The bootstrap admin token (never logged except the first-start banner). */
  adminToken: string
  metrics: Registry
  /** The cluster backend chosen by config.provider. */
  provider: ClusterProvider
  signals: EventEmitter
  signal(kind: Signal): void
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
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, memory: opts.memoryDb })
  const metrics = new Registry()
  collectDefaultMetrics({ register: metrics })
  const signals = new EventEmitter()
  signals.setMaxListeners(50)
  // `auto` picks `local` when its binaries exist (issue #3); until then it means `simulated`.
  const providerName = config.provider === 'auto' ? 'simulated' : config.provider
  const factory = providerFactories[providerName]
  if (!factory) throw new Error(`cluster provider "${providerName}" is not available in this build`)
  const provider = factory({ stepSeconds: config.simulatedStepSeconds, versions: config.supportedVersions })
  logger.info({ provider: provider.name }, 'cluster provider selected')
  return {
    config,
    provider,
    db: database.db,
    engine: database.engine,
    clock: opts.clock ?? systemClock,
    logger,
    keys: deriveKeys(Buffer.from(master.value)),
    adminToken: admin.value,
    metrics,
    signals,
    signal: (kind) => signals.emit(kind),
    close: () => database.close(),
  }
}
