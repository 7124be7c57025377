/**
 * The registry host of an image reference, as container runtimes read it (the normalization of
 * github.com/distribution/reference): the first path component when it looks like a host (has
 * a `.` or `:`, or is `localhost`), else Docker Hub. kubeOP took whatever came before the first
 * `/`, so `library/nginx` came out as host `library`. A dozen lines of a published grammar,
 * written here rather than pulled in (docs/decisions/0010).
 */
const REFERENCE = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/

export function registryOf(image: string): string | undefined {
  if (!REFERENCE.test(image)) return undefined
  const slash = image.indexOf('/')
  if (slash < 0) return 'docker.io'
  const first = image.slice(0, slash)
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first.toLowerCase()
  // Not a host, so it is the first path component of a Docker Hub name, which is lowercase.
  return PATH_COMPONENT.test(first) ? 'docker.io' : undefined
}

/** An empty allow-list allows every registry (kubeOP's default); otherwise hosts match exactly. */
export const registryAllowed = (registry: string, allowlist: readonly string[]) =>
  allowlist.length === 0 || allowlist.includes(registry) || (registry === 'docker.io' && allowlist.includes('index.docker.io'))
