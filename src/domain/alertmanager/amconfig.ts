import { spawn } from 'node:child_process'
import { findAlertmanagerRelease } from '../../providers/local/alertmanager-binaries.js'
import { alertmanagerErrors } from './errors.js'

/** What Alertmanager's own code says about configurations (tools/alertmanager/kupe-amconfig). */
export interface AlertmanagerRules {
  /** The loader's error for this whole configuration (YAML), or undefined when it loads. */
  check(yaml: string): Promise<string | undefined>
  /** Paths of the fields Alertmanager treats as secrets, e.g. `receivers[].webhook_configs[].url`. */
  secretPaths(): Promise<string[]>
}

const TIMEOUT_MS = 10_000

function run(bin: string, args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }))
    // EPIPE: the helper ended before reading everything; its exit code and stderr say why.
    child.stdin.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') reject(err)
    })
    child.stdin.end(input ?? '')
  })
}

/**
 * The rules of the newest Alertmanager release built in `dir`, found on every call (so a release
 * built while the server runs is used). Without one, writes fail closed with 503: a
 * configuration is never stored unchecked.
 */
export function alertmanagerRules(dir: string): AlertmanagerRules {
  const binary = () => {
    const release = findAlertmanagerRelease(dir)
    if (!release) throw alertmanagerErrors.validatorMissing(dir)
    return release.amconfig
  }
  return {
    async check(yaml) {
      const r = await run(binary(), ['check'], yaml)
      if (r.code === 0) return undefined
      if (r.code === 1) return r.stderr.trim() || 'rejected'
      throw new Error(`kupe-amconfig check ended with ${String(r.code)}: ${r.stderr.trim()}`)
    },
    async secretPaths() {
      const r = await run(binary(), ['secret-paths'])
      if (r.code !== 0) throw new Error(`kupe-amconfig secret-paths ended with ${String(r.code)}: ${r.stderr.trim()}`)
      return JSON.parse(r.stdout) as string[]
    },
  }
}
