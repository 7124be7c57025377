import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..')

/** One image tools/images/build.sh made: the name pods use and the OCI archive to import. */
export interface LocalImage {
  /** e.g. `kupe.local/busybox:1.35.0`; pods use it with the default pull policy (IfNotPresent). */
  ref: string
  digest: string
  archive: string
}

export interface LocalImages {
  /** Debian's busybox-static: `sh -c …`, `httpd -f -p 8080`, `wget`, … */
  busybox: LocalImage
  /** kubernetes' pause, containerd's sandbox image. */
  pause: LocalImage
}

/**
 * Builds the local images when their inputs changed (tools/images/build.sh caches them under
 * ~/.cache/kupe/images) and says where they are. No registry is reachable, so these are the only
 * images the host cluster can run.
 */
export async function localImages(): Promise<LocalImages> {
  const { stdout } = await run('bash', [join(repoRoot, 'tools/images/build.sh')], { encoding: 'utf8' })
  return JSON.parse(await readFile(stdout.trim(), 'utf8')) as LocalImages
}

/**
 * Gives a local image a second name on a host cluster's node: the only way here to "change the
 * image" of a workload, since no registry can be reached.
 */
export async function tagLocalImage(node: { containerdSocket: string }, source: string, target: string): Promise<void> {
  await promisify(execFile)('ctr', ['--address', node.containerdSocket, '-n', 'k8s.io', 'images', 'tag', '--force', source, target])
}
