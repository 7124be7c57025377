import type { RequestOptions } from 'node:https'
import { CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node'
import { httpsGetText, isUnreachable } from './cluster-client.js'

/**
 * A registered host cluster's kubeconfig, parsed and checked. Only inline credentials are
 * accepted: an `exec` or `auth-provider` user would run a program on the Kupe server, and file
 * references would read the server's own disk, so both are refused.
 */
export function parseHostKubeconfig(text: string): KubeConfig {
  const kc = new KubeConfig()
  try {
    kc.loadFromString(decodeKubeconfig(text), { onInvalidEntry: 'throw' })
  } catch (err) {
    throw new HostKubeconfigError(`not a kubeconfig (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`)
  }
  const cluster = kc.getCurrentCluster()
  const user = kc.getCurrentUser()
  if (!cluster || !user) throw new HostKubeconfigError('its current-context names no cluster and user')
  if (!/^https:\/\//.test(cluster.server)) throw new HostKubeconfigError(`the server must be an https:// URL, got "${cluster.server}"`)
  if (user.exec || user.authProvider) throw new HostKubeconfigError('exec and auth-provider users are not accepted: use a token or a client certificate')
  if (cluster.caFile || user.certFile || user.keyFile) throw new HostKubeconfigError('file references are not accepted: embed the data (kubectl config view --raw --flatten)')
  if (!user.token && !(user.certData && user.keyData)) throw new HostKubeconfigError('its user has neither a token nor a client certificate')
  return kc
}

/** kubeOP sent base64; the seed's sample sends the YAML itself. Both are accepted. */
function decodeKubeconfig(text: string): string {
  const trimmed = text.trim()
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed) && !trimmed.includes(':')) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8')
    if (/apiVersion|clusters/.test(decoded)) return decoded
  }
  return text
}

/** A kubeconfig that can never work, with the reason a user can act on. */
export class HostKubeconfigError extends Error {}

/** What one look at a host cluster saw. */
export interface HostClusterProbe {
  reachable: boolean
  ready: boolean
  /** Why it is not ready (empty when it is). */
  message: string
  serverVersion?: string
  nodeCount?: number
  nodesReady?: number
}

/** GET /readyz, /version and the node list; never throws for a cluster that is down or refuses. */
export async function probeHostCluster(kc: KubeConfig, timeoutMs = 5_000): Promise<HostClusterProbe> {
  try {
    const readyz = await rawGet(kc, '/readyz', timeoutMs)
    if (readyz.status === 401 || readyz.status === 403) {
      return { reachable: true, ready: false, message: `the credentials were refused (${readyz.status} on /readyz)` }
    }
    const version = await kc.makeApiClient(VersionApi).getCode()
    const nodes = await kc.makeApiClient(CoreV1Api).listNode()
    const nodesReady = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length
    const ready = readyz.status === 200
    return {
      reachable: true,
      ready,
      message: ready ? '' : `/readyz answered ${readyz.status}: ${readyz.body.trim().split('\n').slice(-1)[0] ?? ''}`,
      serverVersion: version.gitVersion,
      nodeCount: nodes.items.length,
      nodesReady,
    }
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] ?? 'error' : String(err)
    return { reachable: !isUnreachable(err), ready: false, message: isUnreachable(err) ? `unreachable: ${message}` : message }
  }
}

/** GET `path` with the kubeconfig's own CA and credentials (token or client certificate). */
async function rawGet(kc: KubeConfig, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const opts: RequestOptions = { headers: {} }
  await kc.applyToHTTPSOptions(opts)
  return httpsGetText(`${kc.getCurrentCluster()!.server}${path}`, opts, timeoutMs)
}
