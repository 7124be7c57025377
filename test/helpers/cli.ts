import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The shipped entry point: it runs dist/cli/main.js. */
export const kupeBin = join(repoRoot, 'bin', 'kupe.js')

function newestSource(dir: string): number {
  let newest = 0
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const st = statSync(p)
    if (st.isDirectory()) newest = Math.max(newest, newestSource(p))
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) newest = Math.max(newest, st.mtimeMs)
  }
  return newest
}

/**
 * The CLI tests run the built program, as users get it. Builds dist/ (`npm run build`) when it is
 * missing or older than a source file, so `npm test` needs no separate build step.
 */
export function ensureBuilt(): void {
  const entry = join(repoRoot, 'dist', 'cli', 'main.js')
  const stale = !existsSync(entry) || statSync(entry).mtimeMs < newestSource(join(repoRoot, 'src'))
  if (!stale) return
  const started = Date.now()
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
  // tsc emits even when some file has a type error; the tests then show whether the CLI works.
  if (!existsSync(entry) || statSync(entry).mtimeMs < started - 1000) {
    throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`)
  }
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** Extra environment; the CLI sees nothing of the test's own KUPE_* variables. */
  env?: Record<string, string | undefined>
  /** Written to stdin, then closed. */
  input?: string
  /** Called with each stderr chunk as it arrives. */
  onStderr?(chunk: string): void
}

/** A clean environment for the CLI: its own HOME (so ~/.config/kupe and ~/.kube are private). */
export function cliHome(): string {
  return mkdtempSync(join(tmpdir(), 'kupe-cli-home-'))
}

export function runKupe(home: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' }
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kupeBin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      opts.onStderr?.(d)
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(opts.input ?? '')
  })
}
