#!/usr/bin/env node
// The `kupe` program (decision 0021). Compiled code starts fastest (`npm run build` writes dist/),
// but a checkout must work right after `npm ci` too: when dist/ is missing, or older than a file
// in src/ (a pull without a rebuild), the sources run through tsx, a runtime dependency.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const compiled = join(root, 'dist', 'cli', 'main.js')
const sources = join(root, 'src')

/** Whether a source of the program under `dir` (tests beside it are not) changed after `since` (ms). */
function changedSince(dir, since) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() ? changedSince(path, since) : !entry.name.endsWith('.test.ts') && statSync(path).mtimeMs > since) return true
  }
  return false
}

const useCompiled = existsSync(compiled) && !(existsSync(sources) && changedSince(sources, statSync(compiled).mtimeMs))
if (useCompiled) {
  await import(pathToFileURL(compiled).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(join(sources, 'cli', 'main.ts')).href)
}
