import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './ports.js'
import type { ProcessSupervisor } from './supervisor.js'

export const ETCD_KEY = 'etcd'

interface EtcdPorts {
  client: number
  peer: number
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64')

/** The key just after every key that starts with `prefix` (etcd's range end for a prefix). */
export function prefixRangeEnd(prefix: string): Buffer {
  const bytes = Buffer.from(prefix, 'utf8')
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1))
      end[i]! += 1
      return end
    }
  }
  return Buffer.from([0])
}

/**
 * The one etcd every local tenant cluster stores its objects in, each under its own key prefix.
 * Data in `<dataDir>/local/etcd`; its ports are kept there too so a restarted server reuses
 * them. Started on first use and supervised like the API servers.
 */
export class SharedEtcd {
  private starting: Promise<string> | undefined
  private readonly dir: string

  constructor(
    private readonly supervisor: ProcessSupervisor,
    localDir: string,
    private readonly bin: () => string,
  ) {
    this.dir = join(localDir, 'etcd')
  }

  /** The client URL once etcd answers /health; starts it when it does not run. */
  ensure(): Promise<string> {
    const status = this.supervisor.status(ETCD_KEY)
    if (status?.running && this.starting) return this.starting
    const attempt = (this.starting = this.start())
    attempt.catch(() => {
      if (this.starting === attempt) this.starting = undefined
    })
    return attempt
  }

  private async ports(): Promise<EtcdPorts> {
    const path = join(this.dir, 'ports.json')
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as EtcdPorts
    const ports = { client: await freePort(), peer: await freePort() }
    writeFileSync(path, JSON.stringify(ports), { mode: 0o600 })
    return ports
  }

  private async start(): Promise<string> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const { client, peer } = await this.ports()
    const url = `http://127.0.0.1:${client}`
    const peerUrl = `http://127.0.0.1:${peer}`
    await this.supervisor.ensure(ETCD_KEY, {
      name: 'etcd',
      bin: this.bin(),
      dir: this.dir,
      args: [
        '--name=kupe', `--data-dir=${join(this.dir, 'data')}`,
        `--listen-client-urls=${url}`, `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=kupe=${peerUrl}`, '--initial-cluster-state=new',
        // API servers' watch caches only learn that etcd moved on (the revision is shared by
        // every cluster) from progress notifications; without them a watch that starts "now"
        // waits for a revision its cache never sees and fails with "Too large resource version".
        '--experimental-watch-progress-notify-interval=1s',
        // Bounded history: API servers compact too, this keeps the file small between their runs.
        '--auto-compaction-mode=periodic', '--auto-compaction-retention=1h', '--quota-backend-bytes=8589934592',
        '--logger=zap', '--log-level=warn',
      ],
    })
    for (let i = 0; i < 300; i++) {
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })
        if (res.ok && ((await res.json()) as { health?: string }).health === 'true') return url
      } catch {
        // not listening yet
      }
      const status = this.supervisor.status(ETCD_KEY)
      if (status && status.crashes >= 3 && !status.running) throw new Error(`etcd keeps exiting: ${status.lastExit?.logTail.split('\n').pop() ?? ''}`)
      await sleep(100)
    }
    throw new Error('etcd did not become healthy within 30 s')
  }

  private async call<T>(method: 'range' | 'deleterange', body: Record<string, unknown>): Promise<T> {
    const url = await this.ensure()
    const res = await fetch(`${url}/v3/kv/${method}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
    if (!res.ok) throw new Error(`etcd ${method}: HTTP ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  /** Deletes every key under `prefix` (etcd v3 range delete through its HTTP gateway). */
  async deletePrefix(prefix: string): Promise<number> {
    const r = await this.call<{ deleted?: string }>('deleterange', { key: b64(prefix), range_end: b64(prefixRangeEnd(prefix)) })
    return Number(r.deleted ?? 0)
  }

  /** How many keys are under `prefix`. */
  async countPrefix(prefix: string): Promise<number> {
    const r = await this.call<{ count?: string }>('range', { key: b64(prefix), range_end: b64(prefixRangeEnd(prefix)), count_only: true })
    return Number(r.count ?? 0)
  }
}
