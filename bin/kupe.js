#!/usr/bin/env node
// The shipped program runs compiled code (fast start); `npm run build` produces it.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const compiled = join(here, '..', 'dist', 'cli', 'main.js')
if (!existsSync(compiled)) {
  process.stderr.write('kupe: dist/ is missing; run `npm run build` first\n')
  process.exit(1)
}
await import(compiled)
