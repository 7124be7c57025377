import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AlertmanagerHost, AlertmanagerStatus } from '../alertmanager-host.js'
import { findAlertmanagerRelease } from './alertmanager-binaries.js'
import { freePort } from './ports.js'
import type { ProcessSpec, ProcessSupervisor } from './supervisor.js'

const key = (tenantId: string) => `alertmanager:${tenantId}`
const CONFIG = 'alertmanager.yml'
const PROBE_TIMEOUT_MS = 2_000
const STARTING_RETRY_MS = 250
const NOT_BUILT_RETRY_MS = 30_000

/**
 * Alertmanager's own fingerprint of the file it loaded (its `alertmanager_config_hash` metric:
 * the first 48 bits of the MD5, little-endian), so "does it run this file" needs no secret to
 * leave the process: its status API prints the configuration with secrets masked.
 */
export function alertmanagerConfigHash(file: string): number {
  const sum = createHash('md5').update(file).digest()
  return Number(Buffer.concat([sum.subarray(0, 6), Buffer.alloc(2)]).readBigUInt64LE())
}

async function probe(url: string, init?: RequestInit): Promise<{ status: number; text: string } | undefined> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    return { status: res.status, text: await res.text() }
  } catch {
    return undefined
  }
}

function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line === undefined ? undefined : Number(line.slice(name.length + 1))
}

/**
 * Each tenant's Alertmanager as a supervised process of the `local` provider (issue #12), in
 * `<dataDir>/local/alertmanager/<tenant id>/`: its configuration file (mode 0600: it holds the
 * tenant's secrets), its data (silences, notification log) and a port kept across restarts. It
 * listens on loopback only, with clustering off. A changed file is loaded with `POST /-/reload`;
 * whether the file it serves is the one written is read from its own config hash metric.
 */
export class LocalAlertmanagers implements AlertmanagerHost {
  private readonly root: string

  constructor(
    private readonly supervisor: ProcessSupervisor,
    localDir: string,
    private readonly alertmanagerDir: string,
  ) {
    this.root = join(localDir, 'alertmanager')
  }

  private dir(tenantId: string): string {
    return join(this.root, tenantId)
  }

  /** The port saved for the tenant, chosen once. */
  private async port(dir: string): Promise<number> {
    const path = join(dir, 'port')
    if (existsSync(path)) return Number(readFileSync(path, 'utf8').trim())
    const port = await freePort()
    writeFileSync(path, `${port}\n`, { mode: 0o600 })
    return port
  }

  private spec(bin: string, dir: string, port: number): ProcessSpec {
    return {
      name: 'alertmanager', bin, dir,
      args: [
        `--config.file=${join(dir, CONFIG)}`, `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=info',
      ],
    }
  }

  async ensure(tenantId: string, configFile: string): Promise<AlertmanagerStatus> {
    const dir = this.dir(tenantId)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const url = `http://127.0.0.1:${await this.port(dir)}`
    const release = findAlertmanagerRelease(this.alertmanagerDir)
    if (!release) return { ready: false, url, message: `Alertmanager is not built in ${this.alertmanagerDir} (run \`npm run alertmanager:build\`)`, retryAfterMs: NOT_BUILT_RETRY_MS }
    const path = join(dir, CONFIG)
    if (!existsSync(path) || readFileSync(path, 'utf8') !== configFile) {
      // Renamed into place, so Alertmanager never reads half a file.
      writeFileSync(`${path}.next`, configFile, { mode: 0o600 })
      renameSync(`${path}.next`, path)
    }
    await this.supervisor.ensure(key(tenantId), this.spec(release.alertmanager, dir, Number(new URL(url).port)))
    if ((await probe(`${url}/-/ready`))?.status !== 200) return { ready: false, url, message: 'Alertmanager is starting', retryAfterMs: STARTING_RETRY_MS }
    const want = alertmanagerConfigHash(configFile)
    const loaded = async () => metric((await probe(`${url}/metrics`))?.text ?? '', 'alertmanager_config_hash')
    if ((await loaded()) === want) return { ready: true, url, message: 'Alertmanager serves the current configuration' }
    const reload = await probe(`${url}/-/reload`, { method: 'POST' })
    if (reload?.status !== 200) return { ready: false, url, message: `Alertmanager did not reload: ${reload ? `${reload.status} ${reload.text.trim()}` : 'no answer'}`, retryAfterMs: NOT_BUILT_RETRY_MS }
    const now = await loaded()
    return now === want
      ? { ready: true, url, message: 'Alertmanager serves the current configuration' }
      : { ready: false, url, message: 'Alertmanager has not loaded the current configuration yet', retryAfterMs: STARTING_RETRY_MS }
  }

  async remove(tenantId: string): Promise<void> {
    const dir = this.dir(tenantId)
    await this.supervisor.stop(key(tenantId))
    // Left running by a server that died without stopping it: its pid file names it.
    await this.supervisor.killOrphan({ name: 'alertmanager', bin: '', args: [], dir })
    rmSync(dir, { recursive: true, force: true })
  }

  /** The tenant's Alertmanager API, once a port is chosen for it. */
  urlOf(tenantId: string): string | undefined {
    const path = join(this.dir(tenantId), 'port')
    return existsSync(path) ? `http://127.0.0.1:${readFileSync(path, 'utf8').trim()}` : undefined
  }

  tenants(): string[] {
    return existsSync(this.root) ? readdirSync(this.root) : []
  }
}
