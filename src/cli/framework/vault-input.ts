import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { usageError } from './errors.js'
import type { Io } from './io.js'

export interface VaultInputOpts {
  fromFile?: string[]
  fromEnv?: string[]
}

function splitPair(spec: string, flag: string): [key: string | undefined, source: string] {
  const i = spec.indexOf('=')
  if (i === 0 || i === spec.length - 1) throw usageError(`invalid ${flag} "${spec}": expected KEY=SOURCE or SOURCE`)
  return i < 0 ? [undefined, spec] : [spec.slice(0, i), spec.slice(i + 1)]
}

/** `KEY=VALUE` lines; blank lines and `#` comments are skipped; the value is taken verbatim. */
export function parseDotenv(text: string): Record<string, string> {
  const data: Record<string, string> = {}
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trimStart()
    if (line === '' || line.startsWith('#')) continue
    const i = line.indexOf('=')
    if (i <= 0) throw usageError(`stdin line ${n + 1}: expected KEY=VALUE`)
    data[line.slice(0, i).trim()] = line.slice(i + 1)
  }
  return data
}

/** A JSON object of strings, or KEY=VALUE lines. */
export function parseStdinData(text: string): Record<string, string> {
  if (!text.trimStart().startsWith('{')) return parseDotenv(text)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw usageError(`stdin is not valid JSON: ${(err as Error).message}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw usageError('stdin JSON must be an object of strings')
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') throw usageError(`stdin JSON: the value of "${k}" is not a string`)
  return value as Record<string, string>
}

/**
 * The key/value pairs of a vault write. Values never come from the command line (shell history,
 * `ps`): from files (`--from-file KEY=PATH`), environment variables (`--from-env KEY=VAR`), or stdin.
 */
export async function readVaultData(opts: VaultInputOpts, io: Io): Promise<Record<string, string>> {
  const data: Record<string, string> = {}
  const put = (key: string, value: string) => {
    if (key in data) throw usageError(`key "${key}" is given twice`)
    data[key] = value
  }
  for (const spec of opts.fromFile ?? []) {
    const [key, path] = splitPair(spec, '--from-file')
    let value: string
    try {
      value = readFileSync(path, 'utf8')
    } catch (err) {
      throw usageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    put(key ?? basename(path), value)
  }
  for (const spec of opts.fromEnv ?? []) {
    const [key, name] = splitPair(spec, '--from-env')
    const value = io.env[name]
    if (value === undefined) throw usageError(`environment variable ${name} is not set`)
    put(key ?? name, value)
  }
  if (opts.fromFile?.length || opts.fromEnv?.length) return data
  if (io.stdinIsTTY) throw usageError('no values: pipe KEY=VALUE lines or a JSON object on stdin, or use --from-file / --from-env')
  return parseStdinData(await io.readStdin())
}
