import { readFileSync } from 'node:fs'

/**
 * The CLI's version, from package.json: src/cli/framework/ and dist/cli/framework/ both sit three
 * levels below the package root, so one relative path serves tsx and the build.
 */
export function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    return '0.0.0'
  }
}
